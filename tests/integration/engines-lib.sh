# Real container engines for the integration tests (sourced after lib.sh).
#
# The harness owns a dockerd of its own: socket /run/turtlecap-tests/docker.sock
# (found by turtlecap from the daemon's listening sockets, not a well-known
# path), data under /var/lib/turtlecap-tests/docker, pid file
# /run/turtlecap-tests/dockerd.pid, bridge on 198.51.100.128/25, no
# iptables changes. A daemon left by an earlier run is reused if it
# answers, else killed and restarted; a daemon this run started is stopped
# at the end. Containers are named tct-<test>-*; images turtlecap-test/*,
# built offline from busybox-static.

TC_ENG_STATE=/run/turtlecap-tests
TC_DOCKER_SOCK=$TC_ENG_STATE/docker.sock
TC_DOCKERD_PID=$TC_ENG_STATE/dockerd.pid
TC_DOCKER_ROOT=/var/lib/turtlecap-tests/docker
TC_IMAGE=turtlecap-test/busybox:1
export DOCKER_HOST=unix://$TC_DOCKER_SOCK
tc_started_dockerd=0

for tool in dockerd docker containerd runc busybox; do
	command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (packaging/setup.sh installs it)"; exit 1; }
done

tc_docker_ping() { curl -sf -m 2 --unix-socket "$TC_DOCKER_SOCK" http://d/_ping >/dev/null 2>&1; }

tc_dockerd_start() {
	mkdir -p "$TC_ENG_STATE" "$TC_DOCKER_ROOT"
	if [ -s "$TC_DOCKERD_PID" ] && kill -0 "$(cat "$TC_DOCKERD_PID")" 2>/dev/null; then
		if tc_docker_ping; then
			tc_log "reusing dockerd $(cat "$TC_DOCKERD_PID")"
			return 0
		fi
		kill -KILL "$(cat "$TC_DOCKERD_PID")" 2>/dev/null || true
		sleep 0.5
	fi
	rm -f "$TC_DOCKERD_PID" "$TC_DOCKER_SOCK"
	# --privileged (docker-in-docker) through the runc wrapper
	mkdir -p "$TC_ENG_STATE/bin"
	if [ -n "${TC_RUNC_WRAPPER:-}" ]; then
		cp "$TC_RUNC_WRAPPER" "$TC_ENG_STATE/bin/runc-nosysresource.new"
		mv -f "$TC_ENG_STATE/bin/runc-nosysresource.new" "$TC_ENG_STATE/bin/runc-nosysresource"
	fi
	local extra=()
	[ -x "$TC_ENG_STATE/bin/runc-nosysresource" ] &&
		extra+=(--add-runtime "tc-runc=$TC_ENG_STATE/bin/runc-nosysresource" --default-runtime tc-runc)
	# also the well-known socket when free, so that a naive /var/run
	# resolution inside a container would land on this daemon
	[ -e /run/docker.sock ] || extra+=(-H unix:///run/docker.sock)
	# daemons are started from a subshell: not children of the test's
	# shell, so that no wait of the test's waits for them
	(setsid dockerd --pidfile "$TC_DOCKERD_PID" -H "unix://$TC_DOCKER_SOCK" "${extra[@]}" \
		--data-root "$TC_DOCKER_ROOT" --exec-root "$TC_ENG_STATE/docker-exec" \
		--bip 198.51.100.129/25 --iptables=false --ip-masq=false \
		--log-level warn >"$TC_ENG_STATE/dockerd.log" 2>&1 </dev/null &)
	local i
	for i in $(seq 1 150); do
		tc_docker_ping && break
		sleep 0.1
	done
	tc_docker_ping || { cat "$TC_ENG_STATE/dockerd.log"; tc_fail "dockerd did not start"; }
	tc_started_dockerd=1
	tc_log "started dockerd $(cat "$TC_DOCKERD_PID")"
}

tc_dockerd_stop() {
	local pid
	[ -s "$TC_DOCKERD_PID" ] || return 0
	pid=$(cat "$TC_DOCKERD_PID")
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# The busybox rootfs as a tarball (in TC_TMP), and the image made from it,
# imported once (kept in the harness's data root).
tc_busybox_tar() {
	[ -s "$TC_TMP/busybox.tar" ] && return 0
	local r=$TC_TMP/rootfs
	mkdir -p "$r"/{bin,etc,proc,sys,dev,tmp,root,var/www,run}
	cp "$(command -v busybox)" "$r/bin/busybox"
	chroot "$r" /bin/busybox --install -s /bin
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\n' >"$r/etc/group"
	echo "hello from turtlecap-test" >"$r/var/www/index.html"
	tar --numeric-owner -C "$r" -cf "$TC_TMP/busybox.tar" .
}

tc_docker_image() {
	tc_busybox_tar
	docker image inspect "$TC_IMAGE" >/dev/null 2>&1 && return 0
	docker import "$TC_TMP/busybox.tar" "$TC_IMAGE" >/dev/null
}

# Remove the containers of this test (leftovers of a previous run too).
tc_docker_reset() {
	tc_docker_ping || return 0
	docker ps -aq --filter "name=^tct-$TC_TEST-" | xargs -r docker rm -f >/dev/null 2>&1 || true
}

tc_engines_cleanup() {
	tc_docker_reset
	if [ "$tc_started_dockerd" = 1 ]; then
		tc_dockerd_stop
	fi
}

# The nested-engines image ("dind"): busybox plus the host's dockerd,
# containerd, shim, runc and docker CLI, and podman, conmon, netavark and
# iptables (nft), each with the libraries ldd names (built in seconds, no
# registry, no debootstrap), /var/run -> /run like Debian images, and an
# entry point that starts two inner engines, each with one container:
# dockerd (inner-web) and podman's API service on /run/podman/podman.sock
# (inner-pweb). Podman is configured for this machine kind: runc (crun
# refuses hybrid cgroups), cgroupfs and file events (no systemd), rlimits
# at most the hard ones (no CAP_SYS_RESOURCE), vfs storage (overlay on
# overlay fails). The inner bridges stay off the host bridge's
# 198.51.100.128/25 that dind's eth0 is on: docker0 198.51.100.32/27,
# podman's default network 198.51.100.0/27 (netavark, iptables-nft).
TC_DIND_IMAGE=turtlecap-test/dind:2
tc_dind_image() {
	docker image inspect "$TC_DIND_IMAGE" >/dev/null 2>&1 && return 0
	# what earlier versions of this function built is stale (not forced:
	# an image a container still uses stays)
	docker images --format '{{.Repository}}:{{.Tag}}' turtlecap-test/dind | grep -vx "$TC_DIND_IMAGE" |
		xargs -r docker rmi >/dev/null 2>&1 || true
	tc_busybox_tar
	local r=$TC_TMP/dind-rootfs bin ld bins
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,usr/lib/podman,etc/containers,proc,sys,dev,tmp,root,run} \
		"$r"/{var/lib/docker,var/lib/containers,var/tmp,var/log,images,lib64,usr/share/containers}
	chmod 1777 "$r/tmp" "$r/var/tmp"
	ln -s /run "$r/var/run"
	cp "$(command -v busybox)" "$r/bin/busybox"
	chroot "$r" /bin/busybox --install -s /bin
	# the binaries, iptables' extensions (dlopened), and the libraries
	# all of them need: what ldd lists, asked of the loader directly
	# (ldd's shell costs 20 ms a file, and there are 130)
	bins=(/usr/sbin/dockerd /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/sbin/runc
		/usr/bin/docker /usr/bin/podman /usr/bin/conmon /usr/lib/podman/netavark
		/usr/sbin/xtables-nft-multi /usr/lib/"$(uname -m)"-linux-gnu/xtables/*.so)
	ld=$(ldd /usr/bin/podman | awk '$1 ~ /^\/.*ld-linux/ { print $1 }')
	[ -x "$ld" ] || tc_fail "no dynamic loader found in ldd /usr/bin/podman"
	cp --parents "${bins[@]}" "$r"
	for bin in "${bins[@]}"; do
		"$ld" --list "$bin" || tc_fail "ldd $bin"
	done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
		xargs cp -n --parents -t "$r"
	for bin in iptables ip6tables iptables-restore ip6tables-restore; do
		ln -s xtables-nft-multi "$r/usr/sbin/$bin"
	done
	[ -f /usr/share/containers/seccomp.json ] && cp /usr/share/containers/seccomp.json "$r/usr/share/containers/"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\ndocker:x:999:\n' >"$r/etc/group"
	cat >"$r/etc/containers/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
[network]
network_backend = "netavark"
default_subnet = "198.51.100.0/27"
CONF
	cat >"$r/etc/containers/storage.conf" <<'CONF'
[storage]
driver = "vfs"
graphroot = "/var/lib/containers/storage"
runroot = "/run/containers/storage"
CONF
	# podman import checks the signature policy
	echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$r/etc/containers/policy.json"
	echo 'unqualified-search-registries = []' >"$r/etc/containers/registries.conf"
	cp "$TC_TMP/busybox.tar" "$r/images/busybox.tar"
	cat >"$r/usr/bin/dind-entry" <<'ENTRY'
#!/bin/sh
# inner engines: dockerd on /var/run/docker.sock (-> /run), vfs storage;
# podman's API service on /run/podman/podman.sock. Both start at once;
# /run/dind-ready once each answers and runs its container.
mkdir -p /sys/fs/cgroup /run/podman
rm -f /run/dind-ready
dockerd --iptables=false --ip-masq=false --bip 198.51.100.33/27 \
	--storage-driver vfs >/var/log/dockerd.log 2>&1 &
podman system service --time=0 unix:///run/podman/podman.sock >/var/log/podman-service.log 2>&1 &
fail() { echo "dind-entry: $*" >&2; exit 1; }
podman image exists localhost/turtlecap-test/busybox:1 ||
	podman import -q /images/busybox.tar turtlecap-test/busybox:1 >/dev/null || fail "podman import"
podman rm -f -t 0 inner-pweb >/dev/null 2>&1
podman run -d --name inner-pweb localhost/turtlecap-test/busybox:1 \
	httpd -f -p 8080 -h /var/www >/dev/null || fail "podman run inner-pweb"
i=0
until podman --remote --url unix:///run/podman/podman.sock version >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 300 ] && fail "podman service does not answer"; sleep 0.1
done
i=0
until docker version >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 300 ] && fail "dockerd does not answer"; sleep 0.1
done
docker image inspect turtlecap-test/busybox:1 >/dev/null 2>&1 ||
	docker import /images/busybox.tar turtlecap-test/busybox:1 >/dev/null || fail "docker import"
docker rm -f inner-web >/dev/null 2>&1
docker run -d --name inner-web turtlecap-test/busybox:1 httpd -f -p 8080 -h /var/www >/dev/null ||
	fail "docker run inner-web"
touch /run/dind-ready
while :; do sleep 3600 & wait $!; done
ENTRY
	chmod 755 "$r/usr/bin/dind-entry"
	tar --numeric-owner -C "$r" -cf "$TC_TMP/dind.tar" .
	docker import --change 'CMD ["/usr/bin/dind-entry"]' "$TC_TMP/dind.tar" "$TC_DIND_IMAGE" >/dev/null
}

# Podman, rootful, isolated from any podman of the machine: its own
# containers.conf and storage.conf (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF),
# storage under /var/lib/turtlecap-tests/podman, network tct-podnet on
# 198.51.100.64/27. Its API service sleeps behind the harness's socket
# activator (tc-sockact, like systemd's podman.socket) on
# /run/turtlecap-tests/podman/podman.sock; turtlecap finds it through the
# `activators` setting. Containers are named tct-<test>-*.
TC_PODMAN_DIR=$TC_ENG_STATE/podman
TC_PODMAN_SOCK=$TC_PODMAN_DIR/podman.sock
TC_SOCKACT_PID=$TC_PODMAN_DIR/sockact.pid
TC_PODMAN_IMAGE=localhost/turtlecap-test/busybox:1
TC_PODMAN_NET=tct-podnet
TC_PODMAN_IDLE=3 # seconds the service stays after its last request
export CONTAINERS_CONF=$TC_PODMAN_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$TC_PODMAN_DIR/storage.conf
tc_started_sockact=0

tc_podman_config() {
	command -v podman >/dev/null || tc_fail "podman is missing (packaging/setup.sh installs it)"
	mkdir -p "$TC_PODMAN_DIR" /var/lib/turtlecap-tests/podman
	# this machine kind: no CAP_SYS_RESOURCE (rlimits above the hard
	# limit fail), hybrid cgroups (runc, not crun), no systemd
	cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$TC_PODMAN_DIR/events.log"
runtime = "runc"
tmp_dir = "$TC_PODMAN_DIR/tmp"
[network]
network_backend = "netavark"
network_config_dir = "/var/lib/turtlecap-tests/podman/networks"
CONF
	cat >"$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "overlay"
graphroot = "/var/lib/turtlecap-tests/podman/storage"
runroot = "$TC_PODMAN_DIR/run"
CONF
}

tc_podman_setup() {
	tc_podman_config
	tc_busybox_tar
	podman image exists "$TC_PODMAN_IMAGE" ||
		podman import -q "$TC_TMP/busybox.tar" "$TC_PODMAN_IMAGE" >/dev/null
	podman network exists "$TC_PODMAN_NET" ||
		podman network create --subnet 198.51.100.64/27 \
			"$TC_PODMAN_NET" >/dev/null
}

# the activator's service (podman system service), if one runs
tc_podman_service_pid() {
	local act
	act=$(cat "$TC_SOCKACT_PID" 2>/dev/null) || return 1
	pgrep -P "$act" -x podman
}

tc_sockact_start() {
	if [ -s "$TC_SOCKACT_PID" ] && kill -0 "$(cat "$TC_SOCKACT_PID")" 2>/dev/null &&
		[ "$(cat /proc/"$(cat "$TC_SOCKACT_PID")"/comm)" = tc-sockact ] && [ -S "$TC_PODMAN_SOCK" ]; then
		tc_log "reusing activator $(cat "$TC_SOCKACT_PID")"
		return 0
	fi
	[ -s "$TC_SOCKACT_PID" ] && kill -TERM "$(cat "$TC_SOCKACT_PID")" 2>/dev/null || true
	rm -f "$TC_SOCKACT_PID"
	cp "$TC_SOCKACT" "$TC_ENG_STATE/bin/tc-sockact.new"
	mv -f "$TC_ENG_STATE/bin/tc-sockact.new" "$TC_ENG_STATE/bin/tc-sockact"
	(setsid "$TC_ENG_STATE/bin/tc-sockact" --pidfile "$TC_SOCKACT_PID" --log "$TC_PODMAN_DIR/sockact.log" \
		"$TC_PODMAN_SOCK" -- "$(command -v podman)" system service --time=$TC_PODMAN_IDLE \
		</dev/null >/dev/null 2>&1 &)
	local i
	for i in $(seq 1 50); do
		[ -s "$TC_SOCKACT_PID" ] && [ -S "$TC_PODMAN_SOCK" ] && break
		sleep 0.1
	done
	[ -S "$TC_PODMAN_SOCK" ] || tc_fail "socket activator did not start"
	tc_started_sockact=1
	tc_log "started activator $(cat "$TC_SOCKACT_PID")"
}

# wait until the activated service has gone back to sleep
tc_podman_wait_asleep() {
	local i
	for i in $(seq 1 $((TC_PODMAN_IDLE * 20 + 60))); do
		tc_podman_service_pid >/dev/null || return 0
		sleep 0.1
	done
	return 1
}

tc_podman_reset() {
	command -v podman >/dev/null || return 0
	[ -f "$CONTAINERS_CONF" ] || return 0
	podman pod ps -q --filter "name=^tct-$TC_TEST-" | xargs -r podman pod rm -f -t 0 >/dev/null 2>&1 || true
	podman ps -aq --filter "name=^tct-$TC_TEST-" | xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true
}

tc_podman_cleanup() {
	tc_podman_reset
	if [ "$tc_started_sockact" = 1 ] && [ -s "$TC_SOCKACT_PID" ]; then
		kill -TERM "$(cat "$TC_SOCKACT_PID")" 2>/dev/null || true
		rm -f "$TC_SOCKACT_PID"
	fi
}

# containerd with its CRI plugin, the harness's own, isolated from any other
# containerd of the machine (and from dockerd's managed one): config written
# here ($TC_CTD_ETC), root /var/lib/turtlecap-tests/containerd, state and
# socket under /run/turtlecap-tests/containerd (turtlecap finds it by the
# daemon's listening socket), pid file /run/turtlecap-tests/containerd.pid.
# CRI: restrict_oom_score_adj (no CAP_SYS_RESOURCE), runc through the
# io.containerd.runc.v2 shim with cgroupfs, the sandbox ("pause") image
# imported here from the busybox rootfs, CNI from the harness's own conf dir:
# bridge tccni0, host-local on 198.51.100.224/28 with its leases under
# $TC_CTD_ETC, plugins from /usr/lib/cni (containernetworking-plugins).
# A daemon left by an earlier run is reused if it answers (gRPC and CRI)
# with the same config, else stopped and restarted; one this run started is
# stopped at the end. Containers (ctr) and pods (CRI) are named
# tct-<test>-*; images localhost/turtlecap-test/{busybox,pause}:1 in the
# namespaces default (ctr) and k8s.io (CRI). containerd 1.6 still puts its
# shims' sockets under /run/containerd/s (a hash of our socket path: no
# clash) and ctr's stdio fifos under /run/containerd/fifo.
TC_CTD_DIR=$TC_ENG_STATE/containerd
TC_CTD_SOCK=$TC_CTD_DIR/containerd.sock
TC_CTD_ETC=$TC_ENG_STATE/containerd-etc
TC_CTD_CONF=$TC_CTD_ETC/config.toml
TC_CTD_PID=$TC_ENG_STATE/containerd.pid
TC_CTD_ROOT=/var/lib/turtlecap-tests/containerd
TC_CTD_IMAGE=localhost/turtlecap-test/busybox:1
TC_CTD_PAUSE=localhost/turtlecap-test/pause:1
TC_CNI_NET=tct-cni
TC_CNI_BRIDGE=tccni0
TC_CNI_SUBNET=198.51.100.224/28
TC_CNI_BIN=/usr/lib/cni
TC_CRI_CLIENT=${TC_TESTS:-$(dirname "${BASH_SOURCE[0]}")/..}/tools/cri-client.py
tc_started_containerd=0

# ctr and the CRI client on the harness's containerd
tc_ctr() { ctr -a "$TC_CTD_SOCK" --timeout 30s "$@"; }
tc_cri() { python3 "$TC_CRI_CLIENT" -s "$TC_CTD_SOCK" "$@"; }

tc_ctd_ping() {
	[ -S "$TC_CTD_SOCK" ] || return 1
	ctr -a "$TC_CTD_SOCK" --timeout 2s version >/dev/null 2>&1 &&
		tc_cri version >/dev/null 2>&1
}

# Write FILE from stdin unless it already holds exactly that; returns 1 if
# it changed.
tc_ctd_put() {
	cat >"$1.new"
	if cmp -s "$1.new" "$1"; then
		rm -f "$1.new"
		return 0
	fi
	mv -f "$1.new" "$1"
	return 1
}

# The config and the CNI network; returns 1 if any changed.
tc_ctd_config() {
	local changed=0
	mkdir -p "$TC_CTD_ETC/net.d" "$TC_CTD_ETC/ipam"
	tc_ctd_put "$TC_CTD_CONF" <<CONF || changed=1
# written by tests/integration/engines-lib.sh
version = 2
root = "$TC_CTD_ROOT"
state = "$TC_CTD_DIR"
[grpc]
  address = "$TC_CTD_SOCK"
[ttrpc]
  address = "$TC_CTD_SOCK.ttrpc"
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$TC_CTD_ROOT/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    # no CAP_SYS_RESOURCE: the sandbox's oom_score_adj -998 would fail
    # ("runc create failed: ... can't get final child's PID from pipe: EOF")
    restrict_oom_score_adj = true
    sandbox_image = "$TC_CTD_PAUSE"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$TC_CNI_BIN"
      conf_dir = "$TC_CTD_ETC/net.d"
      max_conf_num = 1
CONF
	# no ipMasq, no portmap or firewall: no iptables changes
	tc_ctd_put "$TC_CTD_ETC/net.d/10-$TC_CNI_NET.conflist" <<CONF || changed=1
{
  "cniVersion": "1.0.0",
  "name": "$TC_CNI_NET",
  "plugins": [
    { "type": "bridge", "bridge": "$TC_CNI_BRIDGE", "isGateway": true, "ipMasq": false,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$TC_CNI_SUBNET" }]],
                "dataDir": "$TC_CTD_ETC/ipam" } }
  ]
}
CONF
	return $changed
}

tc_ctd_running() {
	[ -s "$TC_CTD_PID" ] && kill -0 "$(cat "$TC_CTD_PID")" 2>/dev/null &&
		[ "$(cat "/proc/$(cat "$TC_CTD_PID")/comm" 2>/dev/null)" = containerd ]
}

tc_ctd_start() {
	local tool changed=0 pid
	for tool in containerd ctr containerd-shim-runc-v2 runc curl python3 unshare; do
		command -v "$tool" >/dev/null || tc_fail "$tool is missing (packaging/setup.sh installs it)"
	done
	for tool in bridge host-local loopback; do
		[ -x "$TC_CNI_BIN/$tool" ] ||
			tc_fail "$TC_CNI_BIN/$tool is missing (containernetworking-plugins; packaging/setup.sh installs it)"
	done
	mkdir -p "$TC_ENG_STATE" "$TC_CTD_DIR" "$TC_CTD_ROOT"
	tc_ctd_config || changed=1
	if tc_ctd_running; then
		if [ $changed = 0 ] && tc_ctd_ping; then
			tc_log "reusing containerd $(cat "$TC_CTD_PID")"
			return 0
		fi
		tc_log "containerd $(cat "$TC_CTD_PID") is stale (config changed or no answer): restarting it"
		tc_ctd_stop
	fi
	rm -f "$TC_CTD_PID" "$TC_CTD_SOCK" "$TC_CTD_SOCK.ttrpc"
	# setsid execs in place (a background job is no group leader): $! is
	# the daemon; started from a subshell, it is no child of the test's
	(setsid containerd --config "$TC_CTD_CONF" --log-level warn \
		>"$TC_ENG_STATE/containerd.log" 2>&1 </dev/null &
	echo $! >"$TC_CTD_PID")
	pid=$(cat "$TC_CTD_PID")
	for _ in $(seq 1 100); do
		tc_ctd_ping && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! tc_ctd_ping; then
		tail -n 30 "$TC_ENG_STATE/containerd.log"
		tc_fail "containerd did not start"
	fi
	tc_started_containerd=1
	tc_log "started containerd $pid"
}

tc_ctd_stop() {
	local pid
	[ -s "$TC_CTD_PID" ] || return 0
	pid=$(cat "$TC_CTD_PID")
	if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = containerd ]; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$TC_CTD_PID" "$TC_CTD_SOCK" "$TC_CTD_SOCK.ttrpc"
	# the CNI bridge, once nothing is attached to it any more
	if ip link show "$TC_CNI_BRIDGE" >/dev/null 2>&1 &&
		[ -z "$(ip -o link show master "$TC_CNI_BRIDGE" 2>/dev/null)" ]; then
		ip link del "$TC_CNI_BRIDGE" 2>/dev/null || true
	fi
}

# Store a blob (stdin) in the OCI layout DIR; prints "sha256:HEX SIZE".
tc_oci_blob() {
	local dir=$1 tmp hex
	tmp=$(mktemp "$dir/blob.XXXXXX")
	cat >"$tmp"
	hex=$(sha256sum "$tmp" | cut -d' ' -f1)
	mv -f "$tmp" "$dir/blobs/sha256/$hex"
	echo "sha256:$hex $(stat -c %s "$dir/blobs/sha256/$hex")"
}

# An OCI image archive (no registry, no docker) of the busybox rootfs as
# one uncompressed layer, holding two images: $TC_CTD_IMAGE and the CRI
# sandbox image $TC_CTD_PAUSE (a shell that waits forever). Each manifest
# carries its full name (io.containerd.image.name) for `ctr images import`.
tc_ctd_oci_archive() {
	local out=$1 d=$TC_TMP/oci arch layer lsize cfg csize man msize entries="" ref cmd
	[ -s "$out" ] && return 0
	tc_busybox_tar
	rm -rf "$d"
	mkdir -p "$d/blobs/sha256"
	arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
	read -r layer lsize < <(tc_oci_blob "$d" <"$TC_TMP/busybox.tar")
	for ref in "$TC_CTD_IMAGE" "$TC_CTD_PAUSE"; do
		if [ "$ref" = "$TC_CTD_PAUSE" ]; then
			cmd='["/bin/sh","-c","trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait; done"]'
		else
			cmd='["sh"]'
		fi
		read -r cfg csize < <(printf '%s' "{\"architecture\":\"$arch\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":$cmd,\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$layer\"]}}" |
			tc_oci_blob "$d")
		read -r man msize < <(printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$cfg\",\"size\":$csize},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$layer\",\"size\":$lsize}]}" |
			tc_oci_blob "$d")
		entries+="${entries:+,}{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$man\",\"size\":$msize,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"},\"annotations\":{\"io.containerd.image.name\":\"$ref\",\"org.opencontainers.image.ref.name\":\"${ref##*:}\"}}"
	done
	printf '{"schemaVersion":2,"manifests":[%s]}' "$entries" >"$d/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	tar --numeric-owner -C "$d" -cf "$out" oci-layout index.json blobs
}

# Import both images into the namespaces default (ctr) and k8s.io (CRI),
# where missing.
tc_ctd_images() {
	local ns archive=$TC_TMP/turtlecap-test-oci.tar have
	for ns in default k8s.io; do
		have=$(tc_ctr -n "$ns" images ls -q 2>/dev/null)
		if grep -qx "$TC_CTD_IMAGE" <<<"$have" && grep -qx "$TC_CTD_PAUSE" <<<"$have"; then
			continue
		fi
		tc_ctd_oci_archive "$archive"
		tc_ctr -n "$ns" images import "$archive" >/dev/null ||
			tc_fail "ctr -n $ns images import failed"
	done
}

# ctr with its CNI defaults (go-cni's fixed /etc/cni/net.d and /opt/cni/bin:
# ctr 1.6 has no flag for them) pointed at the harness's network, in a mount
# namespace of its own: the host's /etc/cni/net.d (podman's, say) is not
# used and nothing is written outside the harness's directories but the
# CNI result cache (/var/lib/cni, which containerd's CRI plugin uses too).
tc_ctr_cni() {
	mkdir -p /etc/cni/net.d
	unshare -m --propagation private -- sh -ec '
		mount -t tmpfs -o mode=0755 tc-cni /opt
		mkdir -p /opt/cni/bin
		mount --bind "$1" /opt/cni/bin
		mount --bind "$2" /etc/cni/net.d
		shift 2
		exec "$@"' sh "$TC_CNI_BIN" "$TC_CTD_ETC/net.d" \
		ctr -a "$TC_CTD_SOCK" --timeout 30s "$@"
}

# Remove what this test made in the harness's containerd (leftovers of a
# previous run too): CRI pods named tct-<test>-* with their containers,
# containers tct-<test>-* (tasks first) in every other namespace, and the
# CNI leases and cached results of those ctr ran with --cni (ctr never runs
# CNI DEL: `ctr run --cni -d` leaves them).
tc_ctd_reset() {
	local id name ns f
	tc_ctd_ping || return 0
	tc_cri pods 2>/dev/null | while read -r id name _; do
		case "$name" in
		"tct-$TC_TEST-"*)
			tc_cri stopp "$id" >/dev/null 2>&1 || true
			tc_cri rmp "$id" >/dev/null 2>&1 || true
			;;
		esac
	done
	for ns in $(tc_ctr namespaces ls -q 2>/dev/null); do
		[ "$ns" = k8s.io ] && continue
		for id in $(tc_ctr -n "$ns" containers ls -q 2>/dev/null | grep "^tct-$TC_TEST-" || true); do
			tc_ctr -n "$ns" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
			tc_ctr -n "$ns" tasks delete -f "$id" >/dev/null 2>&1 || true
			tc_ctr -n "$ns" containers delete "$id" >/dev/null 2>&1 || true
		done
	done
	# ctr's CNI container id is NAMESPACE-ID
	for f in "$TC_CTD_ETC/ipam/$TC_CNI_NET"/*; do
		[ -f "$f" ] || continue
		case "$(basename "$f")" in lock | last_reserved_ip.*) continue ;; esac
		grep -qE "^[^[:space:]]+-tct-$TC_TEST-" "$f" 2>/dev/null && rm -f "$f"
	done
	rm -f /var/lib/cni/results/"$TC_CNI_NET"-*-tct-"$TC_TEST"-*
	return 0
}

tc_ctd_cleanup() {
	tc_ctd_reset
	if [ "$tc_started_containerd" = 1 ]; then
		tc_ctd_stop
	fi
}

# Start a fake engine (tests/tools: what a real engine won't do) as a
# process named COMM, listening on $TC_TMP/fake-MODE/SOCK: the finder knows
# daemons by process name and API sockets by name. Extra arguments go to
# the fake; TC_FAKE_WRAP (words) runs it inside e.g. `unshare --pid`.
# Sets TC_BG_PID. tc_fake_engine BIN COMM SOCK MODE [ARG...]
tc_fake_engine() {
	local bin=$1 comm=$2 sock=$3 mode=$4 dir=$TC_TMP/fake-$4
	shift 4
	mkdir -p "$dir"
	cp "$bin" "$dir/$comm"
	rm -f "$dir/$sock"
	# shellcheck disable=SC2086 # the wrapper's words
	tc_bg "fake-$mode" ${TC_FAKE_WRAP:-} "$dir/$comm" "$dir/$sock" "$mode" "$@"
	for _ in $(seq 50); do [ -S "$dir/$sock" ] && return 0; sleep 0.05; done
	tc_fail "fake engine $mode did not start"
}
