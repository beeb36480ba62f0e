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
	setsid dockerd --pidfile "$TC_DOCKERD_PID" -H "unix://$TC_DOCKER_SOCK" "${extra[@]}" \
		--data-root "$TC_DOCKER_ROOT" --exec-root "$TC_ENG_STATE/docker-exec" \
		--bip 198.51.100.129/25 --iptables=false --ip-masq=false \
		--log-level warn >"$TC_ENG_STATE/dockerd.log" 2>&1 </dev/null &
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

# The docker-in-docker image: busybox plus the host's dockerd, containerd,
# shim, runc and docker CLI with their libraries (built in seconds, no
# registry, no debootstrap), /var/run -> /run like Debian images, and an
# entry point that starts the inner dockerd and one inner container.
TC_DIND_IMAGE=turtlecap-test/dind:1
tc_dind_image() {
	docker image inspect "$TC_DIND_IMAGE" >/dev/null 2>&1 && return 0
	local r=$TC_TMP/dind-rootfs bin lib
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,var/lib/docker,var/log,images,lib64}
	ln -s /run "$r/var/run"
	cp "$(command -v busybox)" "$r/bin/busybox"
	chroot "$r" /bin/busybox --install -s /bin
	for bin in /usr/sbin/dockerd /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 \
		/usr/sbin/runc /usr/bin/docker; do
		cp "$bin" "$r$bin"
		for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
			mkdir -p "$r$(dirname "$lib")"
			cp -n "$lib" "$r$lib"
		done
	done
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\ndocker:x:999:\n' >"$r/etc/group"
	cp "$TC_TMP/busybox.tar" "$r/images/busybox.tar"
	cat >"$r/usr/bin/dind-entry" <<'ENTRY'
#!/bin/sh
# inner engine: dockerd on /var/run/docker.sock (-> /run), vfs storage
mkdir -p /sys/fs/cgroup
dockerd --iptables=false --ip-masq=false --bip 198.51.100.193/26 \
	--storage-driver vfs >/var/log/dockerd.log 2>&1 &
i=0
until docker version >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 300 ] && exit 1; sleep 0.1
done
docker image inspect turtlecap-test/busybox:1 >/dev/null 2>&1 ||
	docker import /images/busybox.tar turtlecap-test/busybox:1 >/dev/null
docker rm -f inner-web >/dev/null 2>&1
docker run -d --name inner-web turtlecap-test/busybox:1 httpd -f -p 8080 -h /var/www >/dev/null
touch /run/dind-ready
while :; do sleep 3600 & wait $!; done
ENTRY
	chmod 755 "$r/usr/bin/dind-entry"
	tar --numeric-owner -C "$r" -cf "$TC_TMP/dind.tar" .
	docker import --change 'CMD ["/usr/bin/dind-entry"]' "$TC_TMP/dind.tar" "$TC_DIND_IMAGE" >/dev/null
}
