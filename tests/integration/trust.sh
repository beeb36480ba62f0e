#!/bin/bash
# Hostile containers against the harness's real dockerd (docs/security.md,
# threat model). Fake engines (tools/fake-engine.c, named dockerd) run in
# containers of the real dockerd:
#   a) the host's docker socket mounted; the fake binds its own docker.sock,
#      then swaps the bound path for a symlink to the mounted host socket;
#   b) --pid=host --network host: a fake Docker API claiming a real
#      container's id under another name, a real container's name with
#      another id, and pids of the host and of another container;
#   c) its own netns and pid namespace: containers claiming pid 1.
# Each round asserts that the host's containers are all listed under their
# real names and values, nothing the fakes claim is, and that a capture of
# tc-docker-WEB enters WEB's netns (the metadata's netns against
# /proc/PID/ns/net of the real container).
#
# Pid order: round 1 runs the fakes with pids above the real dockerd's (the
# natural order), round 2 with pids below it (ns_last_pid set low before
# each docker run), so that a scan, a dedupe or a resolution that follows
# pid order would let the fakes win in one of them. turtlecap's rules never
# look at the order (SO_PEERCRED, trust, then the socket's inode); the unit
# tests (test-finder's test_swap, test-engine's trust_case) run both orders
# of the same attacks on constructed lists.
TC_TEST=tru
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_FAKE_ENGINE:?}"
tc_cleanup_hook() {
	if [ "${tru_done:-0}" != 1 ]; then
		tail -n 40 "$TC_TMP"/*.log >&2 2>/dev/null
		cat "$TC_TMP"/*.err >&2 2>/dev/null
	fi
	tc_engines_cleanup
}

tc_dockerd_start
tc_docker_reset
tc_docker_image

# busybox plus the fake engine as /usr/bin/dockerd, with the libraries the
# loader names (like engines-lib.sh's dind image), imported afresh: the
# binary changes with the build
FAKE_IMAGE=turtlecap-test/fake-engine:tru
r=$TC_TMP/fake-rootfs
mkdir -p "$r"
tar -C "$r" -xf "$TC_TMP/busybox.tar"
mkdir -p "$r/usr/bin" "$r/run/fake" "$r/var/run"
cp "$TC_FAKE_ENGINE" "$r/usr/bin/dockerd"
ld=$(ldd "$TC_FAKE_ENGINE" | awk '$1 ~ /^\/.*ld-linux/ { print $1 }')
[ -x "$ld" ] || tc_fail "no dynamic loader in ldd $TC_FAKE_ENGINE"
"$ld" --list "$TC_FAKE_ENGINE" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	sort -u | xargs cp -n --parents -t "$r"
tar --numeric-owner -C "$r" -cf "$TC_TMP/fake.tar" .
docker import "$TC_TMP/fake.tar" "$FAKE_IMAGE" >/dev/null

WEB=tct-tru-web DB=tct-tru-db
docker run -d --name $WEB $TC_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
docker run -d --name $DB $TC_IMAGE sleep 600 >/dev/null
pid_web=$(docker inspect -f '{{.State.Pid}}' $WEB)
pid_db=$(docker inspect -f '{{.State.Pid}}' $DB)
id_web=$(docker inspect -f '{{.Id}}' $WEB)
id_db=$(docker inspect -f '{{.Id}}' $DB)
ip_web=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $WEB)
ns_web=$(stat -L -c %i /proc/$pid_web/ns/net)
dockerd_pid=$(cat "$TC_DOCKERD_PID")
F1=f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1
F2=f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2
F3=f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3
tc_log "dockerd $dockerd_pid; web pid $pid_web netns $ns_web; db pid $pid_db"

# round 2's fakes get pids below dockerd's: there must be room
low=$((dockerd_pid / 3))
[ "$low" -ge 100 ] || tc_fail "dockerd's pid $dockerd_pid leaves no room below it for round 2"

# the next process gets a pid above $1 (round 2) or wherever (round 1)
pid_floor() { [ "$1" = 0 ] || echo "$1" >/proc/sys/kernel/ns_last_pid; }

start_fakes() {
	local floor=$1
	pid_floor "$floor"
	docker run -d --name tct-tru-fakea -v "$TC_DOCKER_SOCK:/var/run/docker.sock" \
		-e FAKE_SWAP_TO=/var/run/docker.sock $FAKE_IMAGE \
		/usr/bin/dockerd /run/fake/docker.sock ok >/dev/null
	pid_floor "$((floor ? floor + 20 : 0))"
	docker run -d --name tct-tru-fakeb --pid=host --network host \
		-e FAKE_CONTAINERS="tct-tru-evil:$id_web:$pid_web,$WEB:$F1:$pid_db,tct-tru-hostpid:$F2:$dockerd_pid,tct-tru-selfpid:$F3:$$" \
		$FAKE_IMAGE /usr/bin/dockerd /run/docker.sock list >/dev/null
	pid_floor "$((floor ? floor + 40 : 0))"
	docker run -d --name tct-tru-fakec \
		-e FAKE_CONTAINERS="$WEB:$F1:1,tct-tru-evil:$F2:1,$DB:$id_db:1" \
		$FAKE_IMAGE /usr/bin/dockerd /run/docker.sock list >/dev/null
	for _ in $(seq 100); do
		docker exec tct-tru-fakea test -L /run/fake/docker.sock 2>/dev/null &&
			docker exec tct-tru-fakeb test -S /run/docker.sock 2>/dev/null &&
			docker exec tct-tru-fakec test -S /run/docker.sock 2>/dev/null && return 0
		sleep 0.1
	done
	tc_fail "the fakes did not start"
}

stop_fakes() { docker rm -f tct-tru-fakea tct-tru-fakeb tct-tru-fakec >/dev/null 2>&1 || true; }

round() {
	local n=$1 floor=$2 out list log f desc pa pb pc name
	start_fakes "$floor"
	pa=$(docker inspect -f '{{.State.Pid}}' tct-tru-fakea)
	pb=$(docker inspect -f '{{.State.Pid}}' tct-tru-fakeb)
	pc=$(docker inspect -f '{{.State.Pid}}' tct-tru-fakec)
	tc_log "round $n: fakes a $pa, b $pb, c $pc; dockerd $dockerd_pid"
	if [ "$floor" = 0 ]; then
		tc_check "round $n: the fakes' pids are above dockerd's" \
			[ "$pa" -gt "$dockerd_pid" -a "$pb" -gt "$dockerd_pid" -a "$pc" -gt "$dockerd_pid" ]
	else
		tc_check "round $n: the fakes' pids are below dockerd's" \
			[ "$pa" -lt "$dockerd_pid" -a "$pb" -lt "$dockerd_pid" -a "$pc" -lt "$dockerd_pid" ]
	fi
	log=$TC_TMP/round$n.log
	: >"$log"
	out=$("$TURTLECAP" --extcap-interfaces --log-file "$log" --log-level info 2>"$TC_TMP/round$n.err")
	echo "$out" >"$TC_TMP/round$n-interfaces.txt"
	# every host container with a netns of its own, under its real name
	# and value, once, with no member a fake made up
	for name in $WEB $DB tct-tru-fakea tct-tru-fakec; do
		tc_check "round $n: $name listed once, as itself" \
			[ "$(grep -c "{value=tc-docker-$name}" <<<"$out")" = 1 ]
		tc_check "round $n: $name's display is its own" \
			grep -qx "interface {value=tc-docker-$name}{display=$name (docker)}" <<<"$out"
	done
	tc_check "round $n: nothing a fake claims is listed" tc_lacks "$out" 'evil\|hostpid\|selfpid\|fake-ok'
	tc_check "round $n: no lineage value through a fake" tc_lacks "$out" 'value=tc-docker-tct-tru-fake[abc]\.'
	tc_check "round $n: nothing on stderr" [ ! -s "$TC_TMP/round$n.err" ]
	# why, in the log
	tc_check "round $n: a) the swapped socket is not the fake's" \
		grep -q "docker pid $pa: /run/fake/docker.sock leads to a socket that pid $dockerd_pid listens on, not its own: ignored" "$log"
	tc_check "round $n: b) a pid outside its container is dropped" \
		grep -q "nested docker engine pid $pb: container tct-tru-evil: pid $pid_web is not in its container" "$log"
	tc_check "round $n: b) so are the host's pids" \
		grep -q "container tct-tru-hostpid: pid $dockerd_pid is not in its container" "$log"
	tc_check "round $n: c) pid 1 is its own container's: dropped" \
		grep -q "container $WEB of a nested docker engine has the pid of the host's tct-tru-fakec: dropped" "$log"
	list=$("$TURTLECAP" --list)
	echo "$list" >"$TC_TMP/round$n-list.txt"
	tc_check "round $n: the real dockerd keeps its socket" \
		bash -c "grep -E '^engine docker ' '$TC_TMP/round$n-list.txt' | grep -qE ' at ($TC_DOCKER_SOCK|/run/docker.sock) \(pid $dockerd_pid\)'"
	tc_check "round $n: a) no engine is the fake's swapped socket" tc_lacks "$list" "(pid $pa)"
	tc_check "round $n: --list: web with its own pid and netns" \
		tc_has "$list" "container $WEB (docker)  \[tc-docker-$WEB\]  netns $ns_web, pid $pid_web httpd"

	# tc-docker-WEB enters WEB's namespace
	f=$TC_TMP/web$n.pcapng
	tc_capture "$f" tc-docker-$WEB
	ping -c 3 -i 0.2 -W 1 "$ip_web" >/dev/null || true
	sleep 0.3
	tc_capture_stop $TC_CAP_PID || true
	desc=$(tshark -r "$f" -T fields -e frame.interface_description 2>/dev/null | head -1)
	tc_check "round $n: capture of tc-docker-$WEB is in $WEB's netns" \
		grep -q "\"kind\":\"container\",\"container\":\"$WEB\",\"id\":\"$id_web\".*\"netns\":$ns_web,\"pid\":$pid_web," <<<"$desc"
	tc_check "round $n: ... and holds its traffic" [ "$(tc_count "$f" "icmp.type == 8 && ip.dst == $ip_web")" -ge 2 ]
	stop_fakes
}

round 1 0
round 2 "$low"
tru_done=1
