
	
default

devns

k8s.io