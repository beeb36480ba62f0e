#!/bin/bash
# One discovery with several engines answering at once, for
# ThreadSanitizer (TURTLECAP_SANITIZE=thread; tests/run-all.sh): fake
# Docker-API engines (tools/fake-engine.c, two well-behaved, one sending
# malformed JSON) and fake containerd engines (tools/fake-grpc.c, one
# well-behaved, one answering a grpc-status error), each container in a
# netns of ours, and a bare netns. `--list` and `--extcap-interfaces` then
# run the engine job threads side by side with the netns mount-table
# readers and the links thread. Any ThreadSanitizer report fails the test
# (its exit code and its stderr alike), and the fakes' containers must be
# listed: a listing that found nothing proves nothing. In a build without
# TSan it is a plain parallel-discovery test.
TC_TEST=tsn
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_FAKE_ENGINE:?}" "${TC_FAKE_GRPC:?}"
# a report exits (66) at once; both stacks of a lock-order inversion
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

if ldd "$TURTLECAP" 2>/dev/null | grep -q libtsan; then
	tc_log "turtlecap is built with ThreadSanitizer (TSAN_OPTIONS=$TSAN_OPTIONS)"
else
	tc_log "turtlecap is built without ThreadSanitizer: a plain parallel discovery"
fi

# a process in a netns of ours for each well-behaved fake's container
# (distinct pids: containers with the same id and pid are one), and a
# bare netns that must be listed too
declare -A pid_of
for n in one two ok; do
	ip netns add "tct-tsn-$n"
	ip -n "tct-tsn-$n" link set lo up
	tc_bg "target-$n" ip netns exec "tct-tsn-$n" sleep 600
	pid_of[$n]=$TC_BG_PID
done
ip netns add tct-tsn-bare
# more mount namespaces (ip netns exec makes one for each process), so
# that the mount tables are read by two threads (8 or more: netns.c)
for n in 1 2 3 4 5 6; do
	ip netns add "tct-tsn-m$n"
	tc_bg "mnt-$n" ip netns exec "tct-tsn-m$n" sleep 600
done

# Docker-API fakes "one" and "two" list containers fake-one and fake-two
# (any mode but the hostile ones); the gRPC "ok" fake lists fake-ok
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock one "${pid_of[one]}"
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock two "${pid_of[two]}"
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock malformed "${pid_of[one]}"
tc_fake_engine "$TC_FAKE_GRPC" containerd containerd.sock ok "${pid_of[ok]}"
tc_fake_engine "$TC_FAKE_GRPC" containerd containerd.sock status "${pid_of[ok]}"

# run ARGS...: turtlecap into $out ($TC_TMP/err, $TC_TMP/log); fails the
# test on a TSan report, whatever the exit code
run() {
	local rc=0
	: >"$TC_TMP/log"
	out=$("$TURTLECAP" "$@" --log-file "$TC_TMP/log" --log-level debug 2>"$TC_TMP/err") || rc=$?
	if grep -q 'ThreadSanitizer' "$TC_TMP/err"; then
		cat "$TC_TMP/err" >&2
		if grep -q 'unexpected memory mapping' "$TC_TMP/err"; then
			tc_fail "$*: TSan cannot start with this ASLR (vm.mmap_rnd_bits" \
				"$(sysctl -n vm.mmap_rnd_bits 2>/dev/null)): run under setarch $(uname -m) -R"
		fi
		tc_fail "$*: ThreadSanitizer reported (exit $rc; report above)"
	fi
	[ $rc = 0 ] || { cat "$TC_TMP/err" "$TC_TMP/log" >&2; tc_fail "$*: exit $rc"; }
	tc_check "$* ($round): nothing on stderr" [ ! -s "$TC_TMP/err" ]
}

# a few rounds: thread interleavings differ from run to run
for round in 1 2 3; do
	run --list
	for s in fake-one/docker.sock fake-two/docker.sock fake-ok/containerd.sock; do
		tc_check "--list ($round): engine $s listed" tc_has "$out" "^engine .* at $TC_TMP/$s "
	done
	tc_check "--list ($round): the malformed engine's reason" \
		tc_has "$out" 'fake-malformed/docker.sock (pid [0-9]*): .*malformed JSON'
	tc_check "--list ($round): the failing gRPC engine's reason" \
		tc_has "$out" 'fake-status/containerd.sock (pid [0-9]*): .*PERMISSION_DENIED'

	run --extcap-interfaces
	for v in tc-docker-fake-one tc-docker-fake-two tc-containerd-fake-ok tc-netns-tct-tsn-bare \
		tc-netns-tct-tsn-m6; do
		tc_check "--extcap-interfaces ($round): $v listed" tc_has "$out" "{value=$v}"
	done
	tc_check "--extcap-interfaces ($round): the failing engines' containers are not" \
		tc_lacks "$out" 'fake-malformed\|fake-status'
done
