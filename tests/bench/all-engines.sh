#!/bin/bash
# Wall time of `turtlecap --extcap-interfaces` with every engine of the
# engines issues running at once, started by the test harness: dockerd
# (two containers and a container:-mode sidecar), rootful podman behind a
# socket activator (a container and a pod), docker-in-docker with an inner
# dockerd and an inner podman (one container each), containerd with its CRI
# plugin (a ctr container and a CRI pod). Printed: the median of N runs of
# the listing that must wake podman (cache off), of the listing served from
# the activator cache while podman sleeps, and, side by side, `docker ps`
# and `lsns -t net` on the same state.
#
#   TURTLECAP=build/extcap/turtlecap TC_TESTS=tests TC_SOCKACT=build/tests/tc-sockact \
#   TC_RUNC_WRAPPER=build/tests/runc-nosysresource bash tests/bench/all-engines.sh [RUNS]
TC_TEST=alleng
: "${TC_TESTS:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_CRI_CLIENT:=$TC_TESTS/tools/cri-client.py}"
RUNS=${1:-7}
tc_cleanup_hook() {
	tc_ctd_cleanup
	tc_podman_cleanup
	tc_engines_cleanup
	docker volume rm -f tct-alleng-data >/dev/null 2>&1 || true
}
export TURTLECAP_ACTIVATORS="systemd tc-sockact"

tc_dockerd_start
tc_docker_reset
tc_docker_image
tc_dind_image
docker run -d --name tct-alleng-web $TC_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
docker run -d --name tct-alleng-side --network container:tct-alleng-web $TC_IMAGE sleep 600 >/dev/null
docker run -d --name tct-alleng-other $TC_IMAGE sleep 600 >/dev/null
docker volume rm -f tct-alleng-data >/dev/null 2>&1 || true
docker run -d --privileged --name tct-alleng-dind -v tct-alleng-data:/var/lib/docker $TC_DIND_IMAGE >/dev/null

tc_podman_setup
tc_podman_reset
tc_sockact_start
podman run -d --name tct-alleng-pweb --network $TC_PODMAN_NET $TC_PODMAN_IMAGE sleep 600 >/dev/null
podman pod create --name tct-alleng-pod --network $TC_PODMAN_NET >/dev/null
podman run -d --name tct-alleng-pod-a --pod tct-alleng-pod $TC_PODMAN_IMAGE sleep 600 >/dev/null

tc_ctd_start
tc_ctd_reset
tc_ctd_images
tc_ctr -n default run -d --null-io "$TC_CTD_IMAGE" tct-alleng-ctr sleep 600
pod_args=(--name tct-alleng-cpod --namespace default --uid "$(cat /proc/sys/kernel/random/uuid)"
	--hostname cpod --log-dir "$TC_STATE/pods" --label "turtlecap-test=$TC_TEST")
pod_id=$(tc_cri runp "${pod_args[@]}")
cid=$(tc_cri create "$pod_id" app "$TC_CTD_IMAGE" "${pod_args[@]}" -- sleep 600)
tc_cri start "$cid"

for _ in $(seq 1 300); do
	docker exec tct-alleng-dind test -e /run/dind-ready 2>/dev/null && break
	sleep 0.1
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ms() { # median wall ms of RUNS runs of "$@"
	local i t0
	for i in $(seq 1 "$RUNS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		echo $((($(date +%s%N) - t0) / 1000000))
	done | median
}
wake_ms() { # the listing alone, after podman went back to sleep
	local i t0
	for i in $(seq 1 "$RUNS"); do
		tc_podman_wait_asleep
		t0=$(date +%s%N)
		TURTLECAP_ACTIVATOR_CACHE=no "$TURTLECAP" --extcap-interfaces >/dev/null 2>&1
		echo $((($(date +%s%N) - t0) / 1000000))
	done | median
}
cached_ms() {
	"$TURTLECAP" --extcap-interfaces >/dev/null 2>&1 # fills the cache
	tc_podman_wait_asleep
	ms "$TURTLECAP" --extcap-interfaces
}

n_if=$("$TURTLECAP" --extcap-interfaces | grep -c '^interface')
"$TURTLECAP" --list
echo
echo "engines: $(grep -c '^engine' <("$TURTLECAP" --list)), interfaces listed: $n_if, runs: $RUNS (median wall ms)"
printf '%-58s %8s\n' "turtlecap --extcap-interfaces, waking podman (cache off)" "$(wake_ms)"
printf '%-58s %8s\n' "turtlecap --extcap-interfaces, podman asleep (cache)" "$(cached_ms)"
printf '%-58s %8s\n' "docker ps (harness dockerd only)" "$(ms docker ps)"
printf '%-58s %8s\n' "lsns -t net" "$(ms lsns -t net)"
