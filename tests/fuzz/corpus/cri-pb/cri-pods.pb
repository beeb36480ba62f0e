
Ş
@71f5c09040a6f03faabc25f6d539cb73be18f5acaf81ba3f3e5273eec6dcdc7a6
shop-pod$d780bc9a-72a5-4a59-b8b0-e0d62949800eshop ½ñğÆûâõ*"
io.kubernetes.pod.nameshop-pod*#
io.kubernetes.pod.namespaceshop*
appshop-pod
Û
@865b42529075d77131fe57ad2ac03146abe018966539166ec7f974b4240bd1116
mypod$eab389c0-dd40-4d41-b364-e3b52f7d83e4default ‰ÓÏÄûâõ*
io.kubernetes.pod.namemypod*&
io.kubernetes.pod.namespacedefault*
appmypod