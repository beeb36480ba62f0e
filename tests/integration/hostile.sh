#!/bin/bash
# Hostile engines (a fake Docker-API server written for the tests, under
# the process name dockerd): malformed JSON, wrong types, a 100 MB body, a
# body that never ends, a stalled accept. Each: no crash, bounded time, a
# clear log line, and the real engine's containers still listed.
TC_TEST=hos
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_FAKE_ENGINE:?}"
tc_cleanup_hook() { tc_engines_cleanup; }

tc_dockerd_start
tc_docker_reset
tc_docker_image
docker run -d --name tct-hos-real $TC_IMAGE sleep 600 >/dev/null

# a process in a netns of ours, for the "ok" fake to report
ip netns add tct-hos-a
ip -n tct-hos-a link set lo up
tc_bg target ip netns exec tct-hos-a sleep 600
target_pid=$TC_BG_PID

modes="ok malformed wrongtypes huge endless stall"
for m in $modes; do
	tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock "$m" "$target_pid"
done

t0=$(now_ms)
rc=0
out=$("$TURTLECAP" --extcap-interfaces --log-file "$TC_TMP/log" --log-level info 2>"$TC_TMP/err") || rc=$?
elapsed=$(($(now_ms) - t0))
tc_log "--extcap-interfaces with 6 fake engines and dockerd: ${elapsed} ms"
cat "$TC_TMP/log"
tc_check "listing succeeds" [ $rc = 0 ]
tc_check "nothing on stderr" [ ! -s "$TC_TMP/err" ]
tc_check "bounded time: hanging engines cost about 1 s, in parallel (${elapsed} ms)" [ $elapsed -lt 2500 ]
tc_check "the real engine's container still listed" grep -q '{value=tc-docker-tct-hos-real}' <<<"$out"
tc_check "the well-behaved fake's container listed" grep -q '{value=tc-docker-fake-ok}' <<<"$out"
for m in malformed wrongtypes huge endless stall; do
	tc_check "$m: its container is not listed" tc_lacks "$out" "fake-$m"
done
log=$(cat "$TC_TMP/log")
tc_check "malformed: log names the JSON error" grep -q "fake-malformed/docker.sock: GET /v1.41/containers/json: malformed JSON" <<<"$log"
tc_check "huge: log says too large" grep -q "fake-huge/docker.sock: .*larger than the limit" <<<"$log"
tc_check "endless: log says timeout" grep -qi "fake-endless/docker.sock: .*timed\? \?out" <<<"$log"
tc_check "stall: log says timeout" grep -qi "fake-stall/docker.sock: .*timed\? \?out" <<<"$log"
tc_check "wrongtypes: a container without id or name logged" tc_has "$log" 'engine sent a container without a valid id or name'
tc_check "wrongtypes: a container without valid state logged" tc_has "$log" 'container \.\./\.\./etc: no valid state'
tc_check "wrongtypes: no bad container kept" tc_lacks "$out" _2e_2e
tc_check "--list shows each failing engine's reason" bash -c "'$TURTLECAP' --list | grep -q 'fake-malformed/docker.sock (pid [0-9]*): GET .*malformed JSON'"

# a nested engine (own pid namespace) that lies: it claims a container
# whose pid is a host process outside its pid-namespace subtree. The pid is
# never translated to that process: the container is not listed.
TC_FAKE_WRAP="unshare --pid --fork --kill-child --mount-proc" \
	tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock liar "$target_pid"
: >"$TC_TMP/log2"
out=$("$TURTLECAP" --extcap-interfaces --log-file "$TC_TMP/log2" --log-level info)
tc_check "liar: its container is not listed" tc_lacks "$out" fake-liar
tc_check "liar: the lie is logged" grep -q "container fake-liar: pid $target_pid is not in its pid namespace" "$TC_TMP/log2"
tc_check "liar: the rest still listed" grep -q '{value=tc-docker-fake-ok}' <<<"$out"
# versions: the ok fake says them in /_ping's headers, the liar only in
# /version (404 on /_ping), like an engine that predates them
list=$("$TURTLECAP" --list)
tc_check "versions from /_ping's headers" tc_has "$list" 'engine docker fake-1.0 at .*fake-ok/docker.sock'
tc_check "versions from /version where /_ping has none" tc_has "$list" 'engine docker fake-1.0 at .*fake-liar/docker.sock'

# another engine's container in the host's netns (like --network host):
# the host dockerd shares that netns, which does not place it inside
tc_bg hostnet-sleeper sleep 600
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock hostnet "$TC_BG_PID"
out=$("$TURTLECAP" --extcap-interfaces)
tc_check "host engine not placed inside another engine's host-netns container" \
	grep -qx 'interface {value=tc-docker-tct-hos-real}{display=tct-hos-real (docker)}' <<<"$out"
kill -KILL -- "-$TC_BG_PID" 2>/dev/null || true

# the fake's container is captured in the namespace of the pid it named
f=$TC_TMP/fake.pcapng
tc_capture "$f" tc-docker-fake-ok
ip netns exec tct-hos-a ping -c 2 -i 0.2 127.0.0.1 >/dev/null
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "capture of the fake's container is in its pid's netns" [ "$(tc_count "$f" 'icmp.type == 8')" -ge 2 ]
