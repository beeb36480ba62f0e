#!/bin/bash
# Turtles: two engines nested in one docker container ("dind"): an inner
# dockerd with container inner-web, and an inner podman API service with
# container inner-pweb (on podman's own bridge, netavark). Each inner engine
# is reached through the outer container's own root (its /var/run is an
# absolute symlink to /run: a naive path would reach the host's daemon), its
# pids are translated through NSpid, and its container is listed, captured
# (only its own traffic) and described with the lineage
# host > dind > inner-web / inner-pweb and its engine.
TC_TEST=nest
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
tc_cleanup_hook() {
	# a failure says what turtlecap saw
	if [ "${nest_done:-0}" != 1 ]; then
		grep -A1 -e "tct-nest" -e "^engine" "$TC_TMP/list.txt" >&2 2>/dev/null
		grep "tct-nest" "$TC_TMP/interfaces.txt" >&2 2>/dev/null
		tail -n 30 "$TC_TMP"/*.log "$TC_TMP"/*.err >&2 2>/dev/null
		for f in "$TC_TMP"/*.pcapng; do
			[ -s "$f" ] || continue
			echo "== $f" >&2
			tshark -r "$f" -T fields -e frame.number -e frame.time_relative -e frame.interface_name \
				-e ip.src -e ip.dst -e _ws.col.Info 2>/dev/null | head -n 60 >&2
		done
	fi
	# the container first: a volume in use is not removed
	tc_engines_cleanup
	docker volume rm -f tct-nest-data >/dev/null 2>&1
}

tc_dockerd_start
tc_docker_reset
# the inner dockerd starts from an empty data root, not a crashed run's
docker volume rm -f tct-nest-data >/dev/null 2>&1 || true
tc_docker_image
tc_dind_image
DIND=tct-nest-dind
t0=$(now_ms)
docker run -d --privileged --name $DIND -v tct-nest-data:/var/lib/docker $TC_DIND_IMAGE >/dev/null
for i in $(seq 1 300); do
	docker exec $DIND test -e /run/dind-ready 2>/dev/null && break
	[ "$(docker inspect -f '{{.State.Running}}' $DIND 2>/dev/null)" = true ] || break
	sleep 0.1
done
if ! docker exec $DIND test -e /run/dind-ready 2>/dev/null; then
	# the entry script's errors, and the inner engines' logs (also from
	# a container that has exited)
	docker logs $DIND 2>&1 | tail -n 20 >&2
	mkdir -p "$TC_TMP/dind-log"
	docker cp "$DIND:/var/log/." "$TC_TMP/dind-log" >/dev/null 2>&1 && tail -n 20 "$TC_TMP"/dind-log/*.log >&2 || true
fi
tc_check "inner engines and containers ready" docker exec $DIND test -e /run/dind-ready
tc_log "dind ready in $(($(now_ms) - t0)) ms"

dind_pid=$(docker inspect -f '{{.State.Pid}}' $DIND)
dind_id=$(docker inspect -f '{{.Id}}' $DIND)
dind_pidns=$(stat -L -c %i /proc/$dind_pid/ns/pid)

# Ground truth for a host pid: the process that is pid $1 in dind's pid
# namespace is the host process whose NSpid's second field is $1 and whose
# pid namespace is that of /proc/$1 in dind's own /proc.
host_pids_of() {
	local want=$1 pidns s p
	pidns=$(stat -L -c %i /proc/$dind_pid/root/proc/$want/ns/pid) || return 0
	for s in /proc/[0-9]*/status; do
		awk -v want="$want" '/^NSpid:/ { exit !(NF >= 3 && $3 == want) }' "$s" 2>/dev/null || continue
		p=${s#/proc/}
		p=${p%/status}
		[ "$(stat -L -c %i /proc/$p/ns/pid 2>/dev/null)" = "$pidns" ] && echo "$p"
	done
	return 0
}
# exactly one word (one pid)
one() { [ "$(wc -w <<<"$1")" = 1 ]; }

# inner-web, from the inner dockerd's own CLI
inner_pid_in_dind=$(docker exec $DIND docker inspect -f '{{.State.Pid}}' inner-web)
inner_id=$(docker exec $DIND docker inspect -f '{{.Id}}' inner-web)
inner_ip=$(docker exec $DIND docker inspect -f '{{.NetworkSettings.IPAddress}}' inner-web)
inner_pid=$(host_pids_of "$inner_pid_in_dind")
tc_check "ground truth found the inner container's host pid" one "$inner_pid"
tc_check "ground truth: inner-web has a pid namespace of its own below dind's" \
	[ "$(stat -L -c %i /proc/$inner_pid/ns/pid)" != "$dind_pidns" ]
inner_ns=$(stat -L -c %i /proc/$inner_pid/ns/net)
tc_log "dind pid $dind_pid; inner-web pid $inner_pid_in_dind in dind = host pid $inner_pid, netns $inner_ns, ip $inner_ip"

# inner-pweb, from the inner podman's own CLI
pweb_pid_in_dind=$(docker exec $DIND podman inspect -f '{{.State.Pid}}' inner-pweb)
pweb_id=$(docker exec $DIND podman inspect -f '{{.Id}}' inner-pweb)
pweb_ip=$(docker exec $DIND podman inspect -f '{{.NetworkSettings.IPAddress}}' inner-pweb)
pweb_sandbox=$(docker exec $DIND podman inspect -f '{{.NetworkSettings.SandboxKey}}' inner-pweb)
podman_version=$(docker exec $DIND podman version -f '{{.Client.Version}}')
pweb_pid=$(host_pids_of "$pweb_pid_in_dind")
tc_check "ground truth found inner-pweb's host pid" one "$pweb_pid"
pweb_ns=$(stat -L -c %i /proc/$pweb_pid/ns/net)
tc_check "ground truth: inner-pweb's netns is its podman SandboxKey (seen in dind's root)" \
	[ "$(stat -L -c %i "/proc/$dind_pid/root$pweb_sandbox")" = "$pweb_ns" ]
tc_check "ground truth: inner-pweb and inner-web are apart" [ "$pweb_ns" != "$inner_ns" ]
tc_check "ground truth: inner-pweb has an address on podman's bridge" grep -q '^198\.51\.100\.' <<<"$pweb_ip"
# the inner podman API service: a podman process of dind's pid namespace
podman_svc=""
for p in /proc/[0-9]*; do
	p=${p#/proc/}
	[ "$(stat -L -c %i /proc/$p/ns/pid 2>/dev/null)" = "$dind_pidns" ] || continue
	[ "$(cat /proc/$p/comm 2>/dev/null)" = podman ] || continue
	tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | grep -q ' system service ' && podman_svc="$podman_svc $p"
done
podman_svc=${podman_svc# }
tc_check "ground truth found the inner podman service" one "$podman_svc"
tc_log "inner-pweb pid $pweb_pid_in_dind in dind = host pid $pweb_pid, netns $pweb_ns, ip $pweb_ip; podman $podman_version service pid $podman_svc"

out=$("$TURTLECAP" --extcap-interfaces --log-level debug --log-file "$TC_TMP/interfaces.log")
echo "$out" >"$TC_TMP/interfaces.txt"
tc_check "outer container listed" grep -qx "interface {value=tc-docker-$DIND}{display=$DIND (docker)}" "$TC_TMP/interfaces.txt"
tc_check "inner container listed with its lineage" \
	grep -qx "interface {value=tc-docker-$DIND.docker-inner-web}{display=\[$DIND\] inner-web (docker)}" "$TC_TMP/interfaces.txt"
tc_check "inner podman container listed with its lineage and engine" \
	grep -qx "interface {value=tc-docker-$DIND.podman-inner-pweb}{display=\[$DIND\] inner-pweb (podman)}" "$TC_TMP/interfaces.txt"
list=$("$TURTLECAP" --list --log-level debug --log-file "$TC_TMP/list.log")
echo "$list" >"$TC_TMP/list.txt"
tc_check "--list: inner-web with the host pid and netns of the ground truth" \
	grep -q "\[tc-docker-$DIND.docker-inner-web\]  netns $inner_ns, pid $inner_pid " "$TC_TMP/list.txt"
tc_check "--list: inner-pweb with the host pid and netns of the ground truth" \
	grep -q "\[tc-docker-$DIND.podman-inner-pweb\]  netns $pweb_ns, pid $pweb_pid " "$TC_TMP/list.txt"
# the /var/run trap: the inner engine's socket is /var/run/docker.sock in
# dind's root; resolved naively it would be the host daemon, and the host's
# containers would show up again under [dind]
tc_check "the inner engine is listed at its own socket" grep -q "engine docker .* at /var/run/docker.sock (pid [0-9]*)" "$TC_TMP/list.txt"
tc_check "the inner podman is listed at its own socket, with its host pid" \
	grep -qx "engine podman $podman_version at /run/podman/podman.sock (pid $podman_svc)" "$TC_TMP/list.txt"
tc_check "no host container appears under [dind]" bash -c "! grep -q 'tc-docker-$DIND.docker-$DIND' '$TC_TMP/interfaces.txt'"
tc_check "exactly two containers below dind" [ "$(grep -c "value=tc-docker-$DIND\." "$TC_TMP/interfaces.txt")" = 2 ]
# the inner dockerd's own containerd is found in dind's root and asked: its
# moby containers are inner-web again, listed once (the count above)
inner_ctd_version=$(docker exec $DIND containerd --version | awk '{ print $3 }')
tc_check "the nested containerd is found in dind's root and queried" \
	grep -qE "^engine containerd $inner_ctd_version at (/var)?/run/docker/containerd/containerd.sock \(pid [0-9]+\)$" "$TC_TMP/list.txt"
tc_check "inner-web is not listed again from the nested containerd" \
	bash -c "! grep -q 'containerd-moby_2f$inner_id' '$TC_TMP/interfaces.txt'"
[ -e /run/docker.sock ] && tc_check "the trap was armed: /proc/PID/root/var/run/docker.sock is the host's" \
	[ "$(stat -L -c %i /proc/$dind_pid/root/var/run/docker.sock)" = "$(stat -L -c %i /run/docker.sock)" ]

# capture both inner containers at once while dind talks to each, and
# inner-pweb talks to itself on its loopback; the query strings tell the
# requests apart
fw=$TC_TMP/inner.pcapng
tc_capture "$fw" tc-docker-$DIND.docker-inner-web
cap_web=$TC_CAP_PID
fp=$TC_TMP/pweb.pcapng
tc_capture "$fp" tc-docker-$DIND.podman-inner-pweb
cap_pweb=$TC_CAP_PID
for i in 1 2 3; do
	docker exec $DIND wget -q -O /dev/null "http://$inner_ip:8080/?inner-web"
	docker exec $DIND wget -q -O /dev/null "http://$pweb_ip:8080/?inner-pweb-eth"
	docker exec $DIND podman exec inner-pweb wget -q -O /dev/null "http://127.0.0.1:8080/?inner-pweb-lo"
done
sleep 0.3
tc_check "the inner-web capture ends cleanly" tc_capture_stop $cap_web
tc_check "the inner-pweb capture ends cleanly" tc_capture_stop $cap_pweb
tc_check "capture holds the inner container's HTTP" \
	[ "$(tc_count "$fw" "ip.addr == $inner_ip && http.request.uri == \"/?inner-web\"")" -ge 3 ]
tc_check "the inner-web capture holds nothing of inner-pweb's" \
	[ "$(tc_count "$fw" "ip.addr == $pweb_ip || http.request.uri contains \"pweb\"")" = 0 ]
tc_check "inner-pweb capture holds the HTTP from dind on its eth0" \
	[ "$(tc_count "$fp" "frame.interface_name == \"tc-docker-$DIND.podman-inner-pweb/eth0\" && ip.dst == $pweb_ip && http.request.uri == \"/?inner-pweb-eth\"")" -ge 3 ]
tc_check "inner-pweb capture holds its own HTTP on its lo" \
	[ "$(tc_count "$fp" "frame.interface_name == \"tc-docker-$DIND.podman-inner-pweb/lo\" && ip.addr == 127.0.0.1 && http.request.uri == \"/?inner-pweb-lo\"")" -ge 3 ]
tc_check "the inner-pweb capture holds nothing of inner-web's" \
	[ "$(tc_count "$fp" "ip.addr == $inner_ip || http.request.uri contains \"inner-web\"")" = 0 ]

# the interface descriptions (one per link with frames): every one says
# where it is
all_match() { [ -s "$1" ] && ! grep -qv -- "$2" "$1"; }
tshark -r "$fw" -T fields -e frame.interface_description 2>/dev/null | sort -u >"$TC_TMP/web-desc.txt"
tshark -r "$fp" -T fields -e frame.interface_description 2>/dev/null | sort -u >"$TC_TMP/pweb-desc.txt"
tc_check "metadata: the inner container, its id and netns" all_match "$TC_TMP/web-desc.txt" \
	"\"container\":\"inner-web\",\"id\":\"$inner_id\",\"engine\":\"docker\",.*\"netns\":$inner_ns,\"pid\":$inner_pid,"
tc_check "metadata: lineage host > dind > inner-web" all_match "$TC_TMP/web-desc.txt" \
	"\"lineage\":\[{\"kind\":\"host\",[^]]*{\"kind\":\"container\",\"name\":\"$DIND\",\"engine\":\"docker\",\"id\":\"$dind_id\"},{\"kind\":\"container\",\"name\":\"inner-web\",\"engine\":\"docker\",\"id\":\"$inner_id\"}\]}$"
tc_check "metadata: an interface description for each of inner-pweb's links" \
	[ "$(grep -o '"if":"[^"]*"' "$TC_TMP/pweb-desc.txt" | sort | tr '\n' ' ')" = '"if":"eth0" "if":"lo" ' ]
tc_check "metadata: container inner-pweb, its id, engine podman, netns and pid" all_match "$TC_TMP/pweb-desc.txt" \
	"\"container\":\"inner-pweb\",\"id\":\"$pweb_id\",\"engine\":\"podman\",\"engine_version\":\"$podman_version\",.*\"netns\":$pweb_ns,\"pid\":$pweb_pid,"
tc_check "metadata: lineage host > dind > inner-pweb" all_match "$TC_TMP/pweb-desc.txt" \
	"\"lineage\":\[{\"kind\":\"host\",[^]]*{\"kind\":\"container\",\"name\":\"$DIND\",\"engine\":\"docker\",\"id\":\"$dind_id\"},{\"kind\":\"container\",\"name\":\"inner-pweb\",\"engine\":\"podman\",\"id\":\"$pweb_id\"}\]}$"
nest_done=1
