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
	setsid dockerd --pidfile "$TC_DOCKERD_PID" -H "unix://$TC_DOCKER_SOCK" \
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

# The busybox image, imported once (kept in the harness's data root).
tc_docker_image() {
	docker image inspect "$TC_IMAGE" >/dev/null 2>&1 && return 0
	local r=$TC_TMP/rootfs
	mkdir -p "$r"/{bin,etc,proc,sys,dev,tmp,root,var/www,run}
	cp "$(command -v busybox)" "$r/bin/busybox"
	chroot "$r" /bin/busybox --install -s /bin
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\n' >"$r/etc/group"
	echo "hello from turtlecap-test" >"$r/var/www/index.html"
	tar --numeric-owner -C "$r" -cf "$TC_TMP/busybox.tar" .
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
