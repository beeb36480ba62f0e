#!/bin/bash
# Hostile gRPC engines (tools/fake-grpc.c, an HTTP/2 server written for the
# tests, running as a "containerd" listening on a containerd.sock): a
# truncated frame, an oversized message length, bytes that are no
# protobuf, a grpc-status error, a stream that never ends, an HTTP/1.1
# answer, a stalled accept. Each, alone and all at once: no crash, bounded
# time, a clear log line, and the other engines' containers and the
# namespaces still listed. The well-behaved fake's container is listed
# (and captured) by the name containerd gives it.
TC_TEST=hgr
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_FAKE_GRPC:?}"
tc_cleanup_hook() { tc_engines_cleanup; }

tc_dockerd_start
tc_docker_reset
tc_docker_image
docker run -d --name tct-hgr-real $TC_IMAGE sleep 600 >/dev/null

# a process in a netns of ours, for the "ok" fake to report as its task,
# and a bare netns that must stay listed whatever the fakes do
ip netns add tct-hgr-a
ip -n tct-hgr-a link set lo up
tc_bg target ip netns exec tct-hgr-a sleep 600
target_pid=$TC_BG_PID
ip netns add tct-hgr-b

# the line each mode must leave in the log (after "containerd engine at
# .../fake-MODE/containerd.sock: ")
declare -A why=(
	[truncated]='truncated gRPC message'
	[oversize]='answer larger than the limit'
	[badproto]='malformed VersionResponse'
	[status]='grpc-status 7 (PERMISSION_DENIED): fake: permission denied'
	[endless]='answer larger than the limit'
	[http1]='not an HTTP/2 gRPC server'
	[stall]='timed\? \?out'
)
modes="truncated oversize badproto status endless http1 stall"

fake_start() {
	tc_fake_engine "$TC_FAKE_GRPC" containerd containerd.sock "$1" "$target_pid"
	FAKE_PID=$TC_BG_PID
}

# list: run --extcap-interfaces into $out, $elapsed, $TC_TMP/log, $TC_TMP/err
list() {
	local rc=0
	: >"$TC_TMP/log"
	t0=$(now_ms)
	out=$("$TURTLECAP" --extcap-interfaces --log-file "$TC_TMP/log" --log-level info 2>"$TC_TMP/err") || rc=$?
	elapsed=$(($(now_ms) - t0))
	return $rc
}

others_listed() {
	grep -q '{value=tc-docker-tct-hgr-real}' <<<"$out" &&
		grep -q '{value=tc-netns-tct-hgr-b}' <<<"$out"
}

# the well-behaved fake: its container, named by its id in "default"
fake_start ok
ok_pid=$FAKE_PID
list || tc_fail "listing with the ok fake failed"
tc_check "ok: the fake's container listed by its id" \
	grep -qx 'interface {value=tc-containerd-fake-ok}{display=fake-ok (containerd)}' <<<"$out"
tc_check "ok: an invalid id and a container without a task are not" \
	tc_lacks "$out" 'fake-created\|_2e_2e'
tc_check "ok: the invalid id is logged" grep -q 'engine sent a container without a valid id' "$TC_TMP/log"
tc_check "ok: no CRI is no failure" bash -c "! grep -q 'fake-ok/containerd.sock' '$TC_TMP/log'"
tc_check "ok: the others listed" others_listed

for m in $modes; do
	fake_start "$m"
	rc=0
	list || rc=$?
	tc_log "$m: --extcap-interfaces in ${elapsed} ms"
	tc_check "$m: listing succeeds, nothing on stderr" [ $rc = 0 -a ! -s "$TC_TMP/err" ]
	tc_check "$m: bounded time (${elapsed} ms)" [ "$elapsed" -lt 2500 ]
	tc_check "$m: log names the engine and why" \
		grep -q "warning: containerd engine at $TC_TMP/fake-$m/containerd.sock: .*${why[$m]}" "$TC_TMP/log"
	tc_check "$m: the others still listed" others_listed
	tc_check "$m: the well-behaved fake still listed" grep -q '{value=tc-containerd-fake-ok}' <<<"$out"
	kill -KILL -- "-$FAKE_PID" 2>/dev/null || true
done

# all at once: hanging engines cost about a second, in parallel
for m in $modes; do fake_start "$m"; done
rc=0
list || rc=$?
tc_log "--extcap-interfaces with 8 fake gRPC engines, dockerd and its containerd: ${elapsed} ms"
cat "$TC_TMP/log"
tc_check "all: listing succeeds, nothing on stderr" [ $rc = 0 -a ! -s "$TC_TMP/err" ]
tc_check "all: bounded time (${elapsed} ms)" [ "$elapsed" -lt 2500 ]
for m in $modes; do
	tc_check "all: $m logged" grep -q "containerd.sock: .*${why[$m]}" \
		<(grep "fake-$m/" "$TC_TMP/log")
done
tc_check "all: the others still listed" others_listed
tc_check "all: the ok fake still listed" grep -q '{value=tc-containerd-fake-ok}' <<<"$out"
tc_check "--list shows a failing engine's reason" \
	bash -c "'$TURTLECAP' --list | grep -q 'fake-status/containerd.sock (pid [0-9]*): .*PERMISSION_DENIED'"

# the ok fake's container is captured in the namespace of its task's pid
f=$TC_TMP/fake.pcapng
tc_capture "$f" tc-containerd-fake-ok
ip netns exec tct-hgr-a ping -c 2 -i 0.2 127.0.0.1 >/dev/null
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "capture of the fake's container is in its task's netns" [ "$(tc_count "$f" 'icmp.type == 8')" -ge 2 ]
kill -KILL -- "-$ok_pid" 2>/dev/null || true
