#!/bin/bash
# Docker containers as capture interfaces, with a real dockerd started by
# the harness: listed by name with their engine, shared-netns sidecars
# grouped, pid and netns matching the engine's own answers, a capture on a
# container holding its traffic and nothing of a sibling's, the metadata
# naming it, the value surviving `docker restart`, and no exec ever.
TC_TEST=dk
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
tc_cleanup_hook() { tc_engines_cleanup; }

tc_dockerd_start
tc_docker_reset
tc_docker_image
WEB=tct-dk-web SIDE=tct-dk-side OTHER=tct-dk-other
docker run -d --name $WEB $TC_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
docker run -d --name $SIDE --network container:$WEB $TC_IMAGE sleep 600 >/dev/null
docker run -d --name $OTHER $TC_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
# shares the host's netns, like the daemon: neither makes the other nested
docker run -d --name tct-dk-hostnet --network host $TC_IMAGE sleep 600 >/dev/null

pid_web=$(docker inspect -f '{{.State.Pid}}' $WEB)
pid_other=$(docker inspect -f '{{.State.Pid}}' $OTHER)
id_web=$(docker inspect -f '{{.Id}}' $WEB)
ip_web=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $WEB)
ip_other=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $OTHER)
ns_web=$(stat -L -c %i /proc/$pid_web/ns/net)
ns_other=$(stat -L -c %i /proc/$pid_other/ns/net)
version=$(docker version -f '{{.Server.Version}}')
tc_log "web pid $pid_web netns $ns_web ip $ip_web; other pid $pid_other netns $ns_other ip $ip_other"

out=$("$TURTLECAP" --extcap-interfaces)
echo "$out" >"$TC_TMP/interfaces.txt"
tc_check "web listed by name, engine and its sidecar" \
	grep -qx "interface {value=tc-docker-$WEB}{display=$WEB (docker) + $SIDE}" "$TC_TMP/interfaces.txt"
tc_check "other listed" grep -qx "interface {value=tc-docker-$OTHER}{display=$OTHER (docker)}" "$TC_TMP/interfaces.txt"
tc_check "a --network host container is no interface (it is the host)" \
	bash -c "! grep -q 'tct-dk-hostnet' '$TC_TMP/interfaces.txt'"
tc_check "sidecar is not an interface of its own" bash -c "! grep -q 'value=tc-docker-$SIDE}' '$TC_TMP/interfaces.txt'"
tc_check "the container's netns is not also listed bare" bash -c "! grep -q 'value=tc-ns-$ns_web}' '$TC_TMP/interfaces.txt'"

list=$("$TURTLECAP" --list)
echo "$list" >"$TC_TMP/list.txt"
tc_check "--list: web with the engine's pid and netns" \
	grep -q "container $WEB (docker) + $SIDE  \[tc-docker-$WEB\]  netns $ns_web, pid $pid_web httpd" "$TC_TMP/list.txt"
tc_check "--list: the engine found from its listening socket" \
	bash -c "grep -F 'engine docker $version at ' '$TC_TMP/list.txt' | grep -qE ' at ($TC_DOCKER_SOCK|/run/docker.sock) \(pid $(cat $TC_DOCKERD_PID)\)'"
tc_check "--list: one engine per daemon, however many sockets it listens on" \
	[ "$(grep -c "(pid $(cat $TC_DOCKERD_PID))" "$TC_TMP/list.txt")" = 1 ]
tc_check "--list: a well-known path to the same daemon is no second engine" \
	bash -c "! grep -qE '^engine docker [^ ]+ at [^ ]+$' '$TC_TMP/list.txt'"

# the list has no pids: they come from the containers' shims in the
# process table (the --list check above compares them with the engine's),
# not from one inspect per container
"$TURTLECAP" --extcap-interfaces --log-level debug --log-file "$TC_TMP/debug.log" >/dev/null
tc_check "pids from the shims: 4 containers listed, none inspected" \
	grep -q "4 containers listed, 0 of them inspected" "$TC_TMP/debug.log"

# capture on web while both web and other get traffic
f=$TC_TMP/web.pcapng
tc_capture "$f" tc-docker-$WEB
for i in 1 2 3; do
	curl -s -m 2 "http://$ip_web:8080/" >/dev/null
	curl -s -m 2 "http://$ip_other:8080/" >/dev/null
done
docker exec $SIDE wget -q -O /dev/null http://127.0.0.1:8080/
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "capture holds web's HTTP" [ "$(tc_count "$f" "ip.addr == $ip_web && http.request")" -ge 3 ]
tc_check "capture holds nothing of the sibling" [ "$(tc_count "$f" "ip.addr == $ip_other")" = 0 ]
tc_check "capture holds the sidecar's request on lo" [ "$(tc_count "$f" "frame.interface_name == \"tc-docker-$WEB/lo\" && http.request")" -ge 1 ]
desc=$(tshark -r "$f" -Y http -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: kind, container, id" grep -q "\"kind\":\"container\",\"container\":\"$WEB\",\"id\":\"$id_web\"" <<<"$desc"
tc_check "metadata: engine and version, image" grep -q "\"engine\":\"docker\",\"engine_version\":\"$version\",\"image\":\"$TC_IMAGE\"" <<<"$desc"
tc_check "metadata: members, netns, pid" grep -q "\"members\":\[\"$WEB\",\"$SIDE\"\],\"netns\":$ns_web,\"pid\":$pid_web," <<<"$desc"
tc_check "metadata: lineage host > web" grep -q "\"lineage\":\[{\"kind\":\"host\",\"name\":\"[^\"]*\"},{\"kind\":\"container\",\"name\":\"$WEB\",\"engine\":\"docker\",\"id\":\"$id_web\"}\]" <<<"$desc"

# the value is stable: after a restart the same value captures the new netns
docker restart -t 1 $WEB >/dev/null
pid_web2=$(docker inspect -f '{{.State.Pid}}' $WEB)
ns_web2=$(stat -L -c %i /proc/$pid_web2/ns/net)
ip_web2=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $WEB)
tc_check "restart gave a new netns" [ "$ns_web2" != "$ns_web" ]
f=$TC_TMP/web2.pcapng
tc_capture "$f" tc-docker-$WEB
curl -s -m 2 "http://$ip_web2:8080/" >/dev/null
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "after docker restart the same value captures the container" [ "$(tc_count "$f" "ip.addr == $ip_web2 && http.request")" -ge 1 ]
tc_check "... in its new namespace" bash -c "tshark -r '$f' -T fields -e frame.interface_description 2>/dev/null | head -1 | grep -q '\"netns\":$ns_web2,'"

# a stopped container is no interface, and capturing it says so
docker stop -t 1 $OTHER >/dev/null
out=$("$TURTLECAP" --extcap-interfaces)
tc_check "stopped container not listed" tc_lacks "$out" "value=tc-docker-$OTHER}"
rc=0
"$TURTLECAP" --capture --extcap-interface tc-docker-$OTHER --fifo "$TC_TMP/x" 2>"$TC_TMP/x.err" || rc=$?
tc_check "capture of a stopped container fails in one clear line" \
	bash -c "[ $rc != 0 ] && [ \$(wc -l <'$TC_TMP/x.err') = 1 ] && grep -q 'unknown interface \"tc-docker-$OTHER\"' '$TC_TMP/x.err'"

# the product executes nothing: discovery (with the engine queried) and a
# capture, under strace: exactly one execve, the first
n=$(ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve "$TURTLECAP" --extcap-interfaces 2>&1 >/dev/null | grep -c 'execve(' || true)
tc_check "discovery runs no program ($n execve)" [ "$n" = 1 ]
: >"$TC_TMP/s.pcapng"
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -o "$TC_TMP/strace.txt" \
	"$TURTLECAP" --capture --extcap-interface tc-docker-$WEB --fifo "$TC_TMP/s.pcapng" 2>/dev/null &
sp=$!
sleep 1
pkill -TERM -f "extcap-interface tc-docker-$WEB --fifo $TC_TMP/s.pcapng" || true
wait $sp || true
tc_check "capture runs no program" [ "$(grep -c 'execve(' "$TC_TMP/strace.txt")" = 1 ]

# every descriptor is closed once: a second close of an endpoint's fd
# (EBADF, or worse another thread's new fd of the same number) was one
# per engine queried
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=close -o "$TC_TMP/close.txt" \
	"$TURTLECAP" --list >"$TC_TMP/close-list.txt" 2>/dev/null || true
n_eng=$(grep -c '^engine ' "$TC_TMP/close-list.txt" || true)
n_badf=$(grep -c 'EBADF' "$TC_TMP/close.txt" || true)
tc_check "--list queried dockerd and its containerd ($n_eng engines)" [ "$n_eng" -ge 2 ]
tc_check "no descriptor closed twice ($n_badf EBADF)" [ "$n_badf" = 0 ]
