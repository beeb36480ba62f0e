#!/bin/bash
# Budgets (docs/design.md, "Engines"): each engine's whole listing has a
# budget (engine_budget_ms, 1500 ms), each call min(its limit, what is
# left), and the discovery waits for the engines DISCOVERY_CEILING_MS
# (2000 ms) at most. A fake Docker-API engine answers every inspect after
# 0.9 s (within the per-call limit) and lists 20 containers, each a
# process of ours in a netns of its own (so they would be listable); a
# fast fake beside it. Each case fails without its bound:
# * the budget: the slow engine stops on its own after ~1.5 s, keeps what
#   it inspected in time and says "took longer than 1500 ms";
# * the ceiling (a budget set beyond it): the listing still ends at 2 s,
#   the slow engine named as not answering; its thread runs on, also
#   under a capture that outlives it (ASan/TSan builds check that path);
# * per-call timeouts cut to the budget: an engine that accepts and never
#   answers costs the budget (300 ms here), not the call's 1000 ms.
TC_TEST=bud
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_FAKE_ENGINE:?}" "${TC_FAKE_GRPC:?}"

# a sanitizer report exits at once (and lands on stderr, checked empty)
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}

pids=()
for i in $(seq 0 19); do
	ip netns add "tct-bud-s$i"
	tc_bg "slow-$i" ip netns exec "tct-bud-s$i" sleep 600
	pids+=("$TC_BG_PID")
done
ip netns add tct-bud-fast
ip -n tct-bud-fast link set lo up
tc_bg fast-target ip netns exec tct-bud-fast sleep 600
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock ok "$TC_BG_PID"
# engines that answer at once are not waited for any longer (the
# discovery's wait for its jobs ends with the last)
for i in 1 2 3 4 5; do
	t0=$(now_ms)
	out=$("$TURTLECAP" --extcap-interfaces)
	elapsed=$(($(now_ms) - t0))
	tc_check "fast $i: listed in ${elapsed} ms (< 1000)" [ $elapsed -lt 1000 ]
done
tc_check "fast: the fast engine's container listed" tc_has "$out" '{value=tc-docker-fake-ok}'
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock slow "${pids[@]}"
slow_sock="$TC_TMP/fake-slow/docker.sock"

# listing NAME [ENV...]: --extcap-interfaces (into $out, log $TC_TMP/NAME.log,
# wall time in $elapsed) and --list (into $list), both with stderr empty
listing() {
	local name=$1 rc=0 t0
	shift
	t0=$(now_ms)
	out=$(env "$@" "$TURTLECAP" --extcap-interfaces --log-file "$TC_TMP/$name.log" \
		--log-level info 2>"$TC_TMP/$name.err") || rc=$?
	elapsed=$(($(now_ms) - t0))
	tc_log "$name: --extcap-interfaces in ${elapsed} ms"
	cat "$TC_TMP/$name.log"
	cat "$TC_TMP/$name.err" >&2
	tc_check "$name: listing succeeds" [ $rc = 0 ]
	tc_check "$name: nothing on stderr" [ ! -s "$TC_TMP/$name.err" ]
	list=$(env "$@" "$TURTLECAP" --list 2>"$TC_TMP/$name.list.err")
	grep "engine docker" <<<"$list" || true
	tc_check "$name: --list, nothing on stderr" [ ! -s "$TC_TMP/$name.list.err" ]
	tc_check "$name: the fast engine's container listed" \
		tc_has "$out" '{value=tc-docker-fake-ok}'
}

# The budget: /_ping, the list, one inspect (0.9 s); the second is cut
# to the 0.6 s left and times out: the first container is kept.
listing budget
tc_check "budget: within the ceiling (${elapsed} ms <= 2500)" [ $elapsed -le 2500 ]
tc_check "budget: what was inspected in time is listed" tc_has "$out" '{value=tc-docker-slow-0}'
tc_check "budget: the rest is not" tc_lacks "$out" 'slow-19'
tc_check "budget: the log names the engine and its budget" \
	grep -q " warning: docker engine at $slow_sock: took longer than 1500 ms: 1 of 20 containers listed" "$TC_TMP/budget.log"
tc_check "budget: --list says it on the engine's line" \
	tc_has "$list" "^engine docker fake-1.0 at $slow_sock (pid [0-9]*): took longer than 1500 ms: 1 of 20 containers listed"

# The ceiling: a budget beyond it (20 s: 20 inspects in a row would take
# 18 s) and the discovery still ends at 2 s, without the slow engine. The
# process exits while that engine's thread waits for its inspect: LSan
# cannot stop a thread that still holds the capabilities the exiting one
# dropped (ptrace), and calls what it holds leaks; the capture below
# checks that the thread frees everything when it ends. TSan sleeps 1 s
# at exit while another thread runs (atexit_sleep_ms): not ours to time.
listing ceiling TURTLECAP_ENGINE_BUDGET_MS=20000 \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	TSAN_OPTIONS="$TSAN_OPTIONS:atexit_sleep_ms=0"
tc_check "ceiling: within the ceiling (${elapsed} ms <= 2500)" [ $elapsed -le 2500 ]
tc_check "ceiling: the slow engine's containers are not listed" tc_lacks "$out" 'slow-'
tc_check "ceiling: the log names the engine" \
	grep -q " warning: docker engine at $slow_sock: no answer in time: the discovery stops waiting for the engines after 2000 ms" "$TC_TMP/ceiling.log"
tc_check "ceiling: --list says it on the engine's line" \
	tc_has "$list" "^engine docker at $slow_sock (pid [0-9]*): no answer in time"
tc_check "ceiling: but not the version the engine sent after it" \
	tc_lacks "$list" "^engine docker fake-1.0 at $slow_sock"

# A capture outlives the thread the ceiling left running (budget 3.5 s:
# it ends 1.5 s into the capture and frees what it holds then).
f=$TC_TMP/fast.pcapng
export TURTLECAP_ENGINE_BUDGET_MS=3500
tc_capture "$f" tc-docker-fake-ok
unset TURTLECAP_ENGINE_BUDGET_MS
for _ in 1 2 3 4 5 6; do
	ip netns exec tct-bud-fast ping -c 1 -W 1 127.0.0.1 >/dev/null
	sleep 0.5
done
rc=0
tc_capture_stop $TC_CAP_PID || rc=$?
tc_check "capture beside an abandoned engine thread ends cleanly (rc $rc)" [ $rc = 0 ]
tc_check "capture: nothing on stderr (no sanitizer report)" [ ! -s "$f.err" ]
tc_check "capture: the fast fake's container captured" [ "$(tc_count "$f" 'icmp.type == 8')" -ge 5 ]

# Engines that accept and never answer, Docker's API and containerd's
# (gRPC: tools/fake-grpc.c): their first call is cut to the budget,
# 300 ms, not the call's 1000.
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock stall
stall_sock="$TC_TMP/fake-stall/docker.sock"
mkdir -p "$TC_TMP/grpc-stall"
cp "$TC_FAKE_GRPC" "$TC_TMP/grpc-stall/containerd"
tc_bg grpc-stall "$TC_TMP/grpc-stall/containerd" "$TC_TMP/grpc-stall/containerd.sock" stall
grpc_sock="$TC_TMP/grpc-stall/containerd.sock"
for _ in $(seq 50); do [ -S "$grpc_sock" ] && break; sleep 0.05; done
listing stall TURTLECAP_ENGINE_BUDGET_MS=300
tc_check "stall: the budget bounds the calls (${elapsed} ms < 900)" [ $elapsed -lt 900 ]
tc_check "stall: the log names the engine and its budget" \
	grep -q " warning: docker engine at $stall_sock: took longer than 300 ms: GET /_ping" "$TC_TMP/stall.log"
tc_check "stall: --list says it on the engine's line" \
	tc_has "$list" "^engine docker at $stall_sock (pid [0-9]*): took longer than 300 ms"
tc_check "stall: gRPC, the log names the engine and its budget" \
	grep -q " warning: containerd engine at $grpc_sock: took longer than 300 ms: .*Version" "$TC_TMP/stall.log"
tc_check "stall: gRPC, --list says it on the engine's line" \
	tc_has "$list" "^engine containerd at $grpc_sock (pid [0-9]*): took longer than 300 ms"
