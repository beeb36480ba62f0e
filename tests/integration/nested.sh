#!/bin/bash
# Turtles: docker-in-docker. The inner dockerd is reached through the outer
# container's own root (its /var/run is an absolute symlink to /run: a naive
# path would reach the host's daemon), its pids are translated through
# NSpid, and its container is listed, captured and described with the
# lineage host > dind > inner-web.
TC_TEST=nest
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
tc_cleanup_hook() {
	docker volume rm -f tct-nest-data >/dev/null 2>&1
	tc_engines_cleanup
}

tc_dockerd_start
tc_docker_reset
tc_docker_image
tc_dind_image
DIND=tct-nest-dind
docker run -d --privileged --name $DIND -v tct-nest-data:/var/lib/docker $TC_DIND_IMAGE >/dev/null
for i in $(seq 1 300); do
	docker exec $DIND test -e /run/dind-ready 2>/dev/null && break
	sleep 0.1
done
tc_check "inner engine and container ready" docker exec $DIND test -e /run/dind-ready

dind_pid=$(docker inspect -f '{{.State.Pid}}' $DIND)
inner_pid_in_dind=$(docker exec $DIND docker inspect -f '{{.State.Pid}}' inner-web)
inner_id=$(docker exec $DIND docker inspect -f '{{.Id}}' inner-web)
inner_ip=$(docker exec $DIND docker inspect -f '{{.NetworkSettings.IPAddress}}' inner-web)
# ground truth for the host pid: NSpid's second field is the pid in dind
inner_pid=""
for s in /proc/[0-9]*/status; do
	if awk -v want="$inner_pid_in_dind" '/^NSpid:/ { exit !(NF == 4 && $3 == want) }' "$s" 2>/dev/null; then
		p=${s#/proc/}; p=${p%/status}
		# and inside dind's pid namespace subtree
		[ "$(readlink /proc/$dind_pid/ns/pid)" != "$(readlink /proc/$p/ns/pid)" ] || continue
		inner_pid=$p
	fi
done
tc_check "ground truth found the inner container's host pid" [ -n "$inner_pid" ]
inner_ns=$(stat -L -c %i /proc/$inner_pid/ns/net)
tc_log "dind pid $dind_pid; inner-web pid $inner_pid_in_dind in dind = host pid $inner_pid, netns $inner_ns, ip $inner_ip"

out=$("$TURTLECAP" --extcap-interfaces)
echo "$out" >"$TC_TMP/interfaces.txt"
tc_check "outer container listed" grep -qx "interface {value=tc-docker-$DIND}{display=$DIND (docker)}" "$TC_TMP/interfaces.txt"
tc_check "inner container listed with its lineage" \
	grep -qx "interface {value=tc-docker-$DIND.docker-inner-web}{display=\[$DIND\] inner-web (docker)}" "$TC_TMP/interfaces.txt"
list=$("$TURTLECAP" --list)
echo "$list" >"$TC_TMP/list.txt"
tc_check "--list: inner-web with the host pid and netns of the ground truth" \
	grep -q "\[tc-docker-$DIND.docker-inner-web\]  netns $inner_ns, pid $inner_pid " "$TC_TMP/list.txt"
# the /var/run trap: the inner engine's socket is /var/run/docker.sock in
# dind's root; resolved naively it would be the host daemon, and the host's
# containers would show up again under [dind]
tc_check "the inner engine is listed at its own socket" grep -q "engine docker .* at /var/run/docker.sock (pid [0-9]*)" "$TC_TMP/list.txt"
tc_check "no host container appears under [dind]" bash -c "! grep -q 'tc-docker-$DIND.docker-$DIND' '$TC_TMP/interfaces.txt'"
tc_check "exactly one container below dind" [ "$(grep -c "value=tc-docker-$DIND\." "$TC_TMP/interfaces.txt")" = 1 ]
[ -e /run/docker.sock ] && tc_check "the trap was armed: /proc/PID/root/var/run/docker.sock is the host's" \
	[ "$(stat -L -c %i /proc/$dind_pid/root/var/run/docker.sock)" = "$(stat -L -c %i /run/docker.sock)" ]

# capture inner-web while dind talks to it
f=$TC_TMP/inner.pcapng
tc_capture "$f" tc-docker-$DIND.docker-inner-web
for i in 1 2 3; do docker exec $DIND wget -q -O /dev/null "http://$inner_ip:8080/"; done
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "capture holds the inner container's HTTP" [ "$(tc_count "$f" "ip.addr == $inner_ip && http.request")" -ge 3 ]
desc=$(tshark -r "$f" -Y http -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: the inner container, its id and netns" \
	grep -q "\"container\":\"inner-web\",\"id\":\"$inner_id\".*\"netns\":$inner_ns,\"pid\":$inner_pid," <<<"$desc"
tc_check "metadata: lineage host > dind > inner-web" \
	grep -q "\"lineage\":\[{\"kind\":\"host\",[^]]*{\"kind\":\"container\",\"name\":\"$DIND\",\"engine\":\"docker\",\"id\":\"[0-9a-f]*\"},{\"kind\":\"container\",\"name\":\"inner-web\",\"engine\":\"docker\",\"id\":\"$inner_id\"}\]" <<<"$desc"
