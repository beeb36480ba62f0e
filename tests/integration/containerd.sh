#!/bin/bash
# containerd as capture interfaces, with a real containerd (CRI plugin on)
# started by the harness: containers of `ctr run` (namespace default), one
# sharing nothing (only lo) and one on the harness's CNI bridge, listed by
# id with their engine; a CRI pod (two containers made through the CRI API)
# as one interface named by pod namespace and name, its sandbox never
# listed, no k8s.io container twice; a docker container listed once, not
# again from dockerd's own containerd (namespace moby). pid and netns match
# the engines' own answers; a capture on the pod holds its traffic (from the
# host and from inside it) and nothing of the others, and the metadata names
# the pod.
TC_TEST=ctd
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
tc_cleanup_hook() {
	# a check below stops dockerd for a moment
	[ -s "$TC_DOCKERD_PID" ] && kill -CONT "$(cat "$TC_DOCKERD_PID")" 2>/dev/null
	tc_ctd_cleanup
	tc_engines_cleanup
}

tc_ctd_start
tc_ctd_reset
tc_ctd_images
tc_dockerd_start
tc_docker_reset
tc_docker_image

LO=tct-ctd-lo CNI=tct-ctd-cni POD=tct-ctd-pod DK=tct-ctd-dk
POD_NS=default
POD_VALUE=tc-containerd-${POD_NS}_2f$POD # "/" is written _2f
ctd_pid=$(cat "$TC_CTD_PID")
ctd_version=$(tc_ctr version | awk '/^Server:/ { s = 1 } s && $1 == "Version:" { print $2; exit }')

# ctr, namespace default: one sharing nothing (its own netns, only lo; its
# httpd answers on 127.0.0.1 to a `ctr task exec` wget), one on the CNI
# bridge (ctr's --cni pointed at the harness's network)
tc_ctr -n default run -d --null-io "$TC_CTD_IMAGE" $LO httpd -f -p 127.0.0.1:8080 -h /var/www
tc_ctr_cni -n default run -d --null-io --cni "$TC_CTD_IMAGE" $CNI httpd -f -p 8080 -h /var/www

# a CRI pod (namespace k8s.io in containerd) with containers web and side
pod_args=(--name "$POD" --namespace "$POD_NS" --uid "$(cat /proc/sys/kernel/random/uuid)"
	--hostname "$POD" --log-dir "$TC_STATE/pods/${POD_NS}_$POD" --label "turtlecap-test=$TC_TEST")
pod_id=$(tc_cri runp "${pod_args[@]}")
web_id=$(tc_cri create "$pod_id" web "$TC_CTD_IMAGE" "${pod_args[@]}" -- httpd -f -p 8080 -h /var/www)
side_id=$(tc_cri create "$pod_id" side "$TC_CTD_IMAGE" "${pod_args[@]}" -- sleep 600)
tc_cri start "$web_id"
tc_cri start "$side_id"

# docker, on the harness dockerd
docker run -d --name $DK "$TC_IMAGE" httpd -f -p 8080 -h /var/www >/dev/null

# ---- ground truth, from the engines' own CLIs and APIs ----
task_pid() { # NAMESPACE ID: the pid `ctr task ls` gives a RUNNING task
	tc_ctr -n "$1" tasks ls | awk -v id="$2" '$1 == id && $3 == "RUNNING" { print $2 }'
}
netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
host_ns=$(stat -L -c %i /proc/self/ns/net)
pid_lo=$(task_pid default $LO)
pid_cni=$(task_pid default $CNI)
tc_check "ctr: both tasks run" test -n "$pid_lo" -a -n "$pid_cni"
ns_lo=$(netns_of "$pid_lo")
ns_cni=$(netns_of "$pid_cni")
ip_cni=$(nsenter -t "$pid_cni" -n ip -o -4 addr show dev eth0 | awk '{ split($4, a, "/"); print a[1]; exit }')
only_lo() { # PID: a netns not the host's, with no link but lo
	[ "$(netns_of "$1")" != "$host_ns" ] &&
		[ "$(nsenter -t "$1" -n ip -o link show | awk -F': ' '{ print $2 }')" = lo ]
}
tc_check "ctr: the plain task has a netns of its own with only lo" only_lo "$pid_lo"
on_cni() { grep -qE '^198\.51\.100\.2(2[4-9]|3[0-9])$' <<<"$1"; } # in 198.51.100.224/28
tc_check "ctr --cni: the task has an address on the harness's CNI network ($ip_cni)" on_cni "$ip_cni"

declare -A podst
while read -r k v; do podst[$k]=$v; done < <(tc_cri inspectp "$pod_id")
pid_pause=${podst[pid]} ip_pod=${podst[ip]} netns_path=${podst[netns]}
pod_ready() {
	[ "${podst[state]}" = SANDBOX_READY ] && [ "${podst[name]}" = $POD ] &&
		[ "${podst[namespace]}" = $POD_NS ] && on_cni "$ip_pod"
}
tc_check "CRI: the pod is ready, with an address on the CNI network ($ip_pod)" pod_ready
ns_pod=$(stat -L -c %i "$netns_path")
pid_web=$(tc_cri inspect "$web_id" | awk '$1 == "pid" { print $2 }')
pid_side=$(tc_cri inspect "$side_id" | awk '$1 == "pid" { print $2 }')
tc_check "ctr -n k8s.io: the sandbox task is the pause pid CRI gives" [ "$(task_pid k8s.io "$pod_id")" = "$pid_pause" ]
members_match() {
	[ -n "$pid_web" ] && [ "$(task_pid k8s.io "$web_id")" = "$pid_web" ] &&
		[ -n "$pid_side" ] && [ "$(task_pid k8s.io "$side_id")" = "$pid_side" ]
}
tc_check "ctr -n k8s.io: web's and side's tasks are the pids CRI gives" members_match
share_pod_ns() {
	[ "$(netns_of "$pid_pause")" = "$ns_pod" ] && [ "$(netns_of "$pid_web")" = "$ns_pod" ] &&
		[ "$(netns_of "$pid_side")" = "$ns_pod" ]
}
tc_check "CRI: pause, web and side share the pod's netns" share_pod_ns
netns_name=$(basename "$netns_path")

id_dk=$(docker inspect -f '{{.Id}}' $DK)
pid_dk=$(docker inspect -f '{{.State.Pid}}' $DK)
ip_dk=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $DK)
# dockerd runs its own containerd (not the harness's): its tasks are in
# that one's namespace moby, which turtlecap also finds
DK_CTD_SOCK=$TC_ENG_STATE/docker-exec/containerd/containerd.sock
no_moby() { ! tc_ctr namespaces ls -q | grep -qx moby; }
tc_check "the harness containerd has no moby namespace (dockerd does not use it)" no_moby
dk_in_moby() { [ "$(ctr -a "$DK_CTD_SOCK" -n moby tasks ls | awk -v id="$id_dk" '$1 == id { print $2 }')" = "$pid_dk" ]; }
tc_check "dockerd's own containerd ($DK_CTD_SOCK) runs the docker container in namespace moby" dk_in_moby
tc_log "ctr $LO pid $pid_lo netns $ns_lo; $CNI pid $pid_cni netns $ns_cni ip $ip_cni"
tc_log "pod $pod_id pause pid $pid_pause netns $ns_pod ($netns_path) ip $ip_pod; web $pid_web side $pid_side"
tc_log "docker $DK pid $pid_dk ip $ip_dk; containerd $ctd_version pid $ctd_pid"

# ---- the listing ----
"$TURTLECAP" --extcap-interfaces >"$TC_TMP/interfaces.txt"
IF=$TC_TMP/interfaces.txt
tc_check "ctr container listed by id and engine" \
	grep -qx "interface {value=tc-containerd-$LO}{display=$LO (containerd)}" "$IF"
tc_check "ctr --cni container listed by id and engine" \
	grep -qx "interface {value=tc-containerd-$CNI}{display=$CNI (containerd)}" "$IF"
tc_check "the pod is one interface, by pod namespace and name, naming its containers" \
	grep -qE "^interface \{value=$POD_VALUE\}\{display=$POD_NS/$POD \(containerd pod\): (web \+ side|side \+ web)\}$" "$IF"
tc_check "the pod is listed once" [ "$(grep -c "$POD" "$IF")" = 1 ]
tc_check "the sandbox (pause) container never appears" bash -c "! grep -q '$pod_id' '$IF'"
tc_check "no k8s.io container appears again under its raw id" \
	bash -c "! grep -qE '$web_id|$side_id|${web_id:0:12}|${side_id:0:12}' '$IF'"
tc_check "the containers' netns are not also listed bare" \
	bash -c "! grep -qE 'value=tc-ns-($ns_lo|$ns_cni|$ns_pod)\}|value=tc-netns-$netns_name\}' '$IF'"
tc_check "the docker container is listed by dockerd" \
	grep -qx "interface {value=tc-docker-$DK}{display=$DK (docker)}" "$IF"
tc_check "... and not again from dockerd's containerd (as moby/<id>)" \
	bash -c "[ \$(grep -cE '$DK|${id_dk:0:12}' '$IF') = 1 ] && ! grep -q 'value=tc-containerd-[^}]*${id_dk:0:12}' '$IF'"

"$TURTLECAP" --list >"$TC_TMP/list.txt"
LIST=$TC_TMP/list.txt
tc_check "--list: the ctr container with containerd's pid and its netns" \
	grep -q "container $LO (containerd)  \[tc-containerd-$LO\]  netns $ns_lo, pid $pid_lo httpd" "$LIST"
tc_check "--list: the ctr --cni container with containerd's pid and its netns" \
	grep -q "container $CNI (containerd)  \[tc-containerd-$CNI\]  netns $ns_cni, pid $pid_cni httpd" "$LIST"
tc_check "--list: the pod in its netns, with the sandbox's pid" \
	grep -qE "container $POD_NS/$POD \(containerd pod\): (web \+ side|side \+ web)  \[$POD_VALUE\]  netns $ns_pod, pid $pid_pause " "$LIST"
tc_check "--list: the harness containerd found from its listening socket, with its version" \
	grep -qF "engine containerd $ctd_version at $TC_CTD_SOCK (pid $ctd_pid)" "$LIST"
# the dedupe above means something only if dockerd's containerd was asked
dk_ctd_pid=$(pgrep -P "$(cat "$TC_DOCKERD_PID")" -x containerd | head -1 || true)
tc_check "--list: dockerd's own containerd is queried too" \
	grep -qF "engine containerd $ctd_version at $DK_CTD_SOCK (pid $dk_ctd_pid)" "$LIST"
# ... but not for namespace moby's list while Docker's API named every
# container of it; with Docker's API not answering (dockerd stopped:
# connected, never answered, the 1 s limit), moby's list is asked and
# the docker container is there, by id, with its pid
"$TURTLECAP" --list --log-level debug --log-file "$TC_TMP/moby.log" >/dev/null
tc_check "moby's list not asked when Docker's API listed its containers" \
	grep -q "containerd namespace moby: its running containers listed by Docker's API, not asked" "$TC_TMP/moby.log"
kill -STOP "$(cat "$TC_DOCKERD_PID")"
"$TURTLECAP" --list --log-level debug --log-file "$TC_TMP/moby-down.log" >"$TC_TMP/list-down.txt" || true
kill -CONT "$(cat "$TC_DOCKERD_PID")"
tc_check "dockerd stopped: moby's list asked" \
	bash -c "! grep -q 'moby: its running containers listed' '$TC_TMP/moby-down.log' && grep -q 'Containers/List' '$TC_TMP/moby-down.log'"
tc_check "... the docker container listed from containerd, with its pid" \
	grep -qE "container moby/$id_dk \(containerd\) .* pid $pid_dk " "$TC_TMP/list-down.txt"
tc_check "... and the docker engine's failure said" grep -qE "engine docker .*(timed out|time)" "$TC_TMP/list-down.txt"

# ---- capture on the pod while every container gets traffic ----
exec_in() { # NAMESPACE TASK ARGV...: a process in a running task
	local ns=$1 task=$2
	shift 2
	tc_ctr -n "$ns" tasks exec --exec-id "tct-$RANDOM$RANDOM" "$task" "$@"
}
# every request answered (the page): what a capture must not hold was sent
PAGE="hello from turtlecap-test"
traffic() {
	local i n=0
	for i in 1 2 3; do
		curl -s -m 2 "http://$ip_pod:8080/?from=host-$i" | grep -qx "$PAGE" && n=$((n + 1))
		curl -s -m 2 "http://$ip_cni:8080/?from=host-$i" | grep -qx "$PAGE" && n=$((n + 1))
		curl -s -m 2 "http://$ip_dk:8080/?from=host-$i" | grep -qx "$PAGE" && n=$((n + 1))
	done
	exec_in k8s.io "$side_id" wget -q -O - "http://127.0.0.1:8080/?from=side" | grep -qx "$PAGE" && n=$((n + 1))
	exec_in default $LO wget -q -O - "http://127.0.0.1:8080/?from=lo" | grep -qx "$PAGE" && n=$((n + 1))
	[ $n = 11 ]
}
f=$TC_TMP/pod.pcapng
tc_capture "$f" "$POD_VALUE"
tc_check "traffic: the pod, the ctr --cni and the docker container from the host, side and the ctr container on lo" traffic
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "pod capture holds the host's HTTP to the pod" \
	[ "$(tc_count "$f" "ip.addr == $ip_pod && http.request && http.request.uri contains \"from=host\"")" -ge 3 ]
tc_check "pod capture holds side's request to web on lo" \
	[ "$(tc_count "$f" "frame.interface_name == \"$POD_VALUE/lo\" && http.request.uri contains \"from=side\"")" -ge 1 ]
tc_check "pod capture holds nothing of the others" \
	[ "$(tc_count "$f" "ip.addr == $ip_cni || ip.addr == $ip_dk || http.request.uri contains \"from=lo\"")" = 0 ]
desc=$(tshark -r "$f" -Y http -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: kind pod" grep -q '"kind":"pod"' <<<"$desc"
has() { grep -qF -- "$1" <<<"$desc"; }
tc_check "metadata: the pod's name" has "\"pod\":\"$POD\""
tc_check "metadata: the pod's namespace" has "\"pod_namespace\":\"$POD_NS\""
tc_check "metadata: engine containerd" grep -q '"engine":"containerd"' <<<"$desc"
tc_check "metadata: members web and side, no sandbox" grep -qE '"members":\[("web","side"|"side","web")\]' <<<"$desc"
tc_check "metadata: the pod's netns" grep -q "\"netns\":$ns_pod," <<<"$desc"

# ---- capture on the plain ctr container: its loopback only ----
f=$TC_TMP/lo.pcapng
tc_capture "$f" "tc-containerd-$LO"
tc_check "traffic again" traffic
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "ctr container capture holds its own loopback request" \
	[ "$(tc_count "$f" "frame.interface_name == \"tc-containerd-$LO/lo\" && http.request.uri contains \"from=lo\"")" -ge 1 ]
tc_check "... and nothing of the pod or the others" \
	[ "$(tc_count "$f" "ip.addr == $ip_pod || ip.addr == $ip_cni || ip.addr == $ip_dk || http.request.uri contains \"from=side\"")" = 0 ]
desc=$(tshark -r "$f" -Y http -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: kind container, the ctr id" has "\"kind\":\"container\",\"container\":\"$LO\""
tc_check "metadata: engine containerd" has '"engine":"containerd"'
tc_check "metadata: its netns and pid" has "\"netns\":$ns_lo,\"pid\":$pid_lo,"
