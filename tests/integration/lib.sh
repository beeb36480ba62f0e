# Shared harness for the integration tests (sourced, bash).
#
# Each test owns the names it creates: network namespaces "tct-<test>-*",
# links "tc<t>*", and pid files under /run/turtlecap-tests/<test>/. At start
# it removes whatever a previous (crashed or interrupted) run of the same
# test left behind; at exit it removes what it made, whatever happened.
# Test hosts use documentation addresses (198.51.100.0/24) inside
# namespaces made here: no traffic leaves the machine.
set -euo pipefail

: "${TURTLECAP:?TURTLECAP must point to the built turtlecap}"
TC_TEST=${TC_TEST:?set TC_TEST before sourcing lib.sh}
TC_STATE=/run/turtlecap-tests/$TC_TEST
TC_TMP=$(mktemp -d "/tmp/tc-$TC_TEST.XXXXXX")
chmod 0755 "$TC_TMP"
tc_checks=0
# Settings come from the test, not from the caller's environment nor the
# machine's turtlecap.conf (the environment overrides the files).
while read -r v; do unset "$v"; done < <(compgen -e | grep '^TURTLECAP_' || true)
export TURTLECAP_ENGINES='' TURTLECAP_HIDE='' TURTLECAP_SHOW='' TURTLECAP_LIST=default
# Whatever else runs on the machine (leftovers, other engines) must not
# push a test's own interfaces behind a portal; many.sh tests the cap.
export TURTLECAP_MAX_INTERFACES=${TC_MAX_INTERFACES:-1000}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: integration tests need root (network namespaces)"
	exit 77
fi
# One integration test at a time on a machine: they share the harness's
# engines, and the listings they check see each other's containers. The
# test re-runs under flock, which holds the lock itself (-o): daemons the
# test starts do not inherit it.
if [ -z "${TC_LOCKED:-}" ]; then
	mkdir -p /run/turtlecap-tests
	rm -rf "$TC_TMP"
	TC_LOCKED=1 exec flock -o -w 1200 /run/turtlecap-tests/lock bash "$0" "$@"
fi
for tool in ip tshark capinfos ping; do
	command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing"; exit 1; }
done

tc_log() { echo "[$TC_TEST] $*"; }
tc_fail() {
	echo "FAIL [$TC_TEST]: $*" >&2
	exit 1
}
# tc_check DESCRIPTION COMMAND...: run COMMAND, fail the test if it fails.
tc_check() {
	local what=$1
	shift
	if "$@"; then
		tc_checks=$((tc_checks + 1))
		tc_log "ok: $what"
	else
		tc_fail "$what"
	fi
}

# Remove what a previous run of this test left: its netns (and the
# processes inside), its background processes (pid files), its links.
tc_reset() {
	local ns pidf
	if [ -d "$TC_STATE" ]; then
		for pidf in "$TC_STATE"/*.pid; do
			[ -e "$pidf" ] || continue
			# the whole process group: children forked by the
			# command (unshare --fork, shells) go with it
			kill -KILL -- "-$(cat "$pidf")" 2>/dev/null ||
				kill -KILL "$(cat "$pidf")" 2>/dev/null || true
			rm -f "$pidf"
		done
		for pidf in "$TC_STATE"/*.mnt; do
			[ -e "$pidf" ] || continue
			umount "$(cat "$pidf")" 2>/dev/null || true
			rm -f "$pidf"
		done
	fi
	while read -r ns _; do
		case "$ns" in
		"tct-$TC_TEST-"*)
			ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
			ip netns del "$ns" 2>/dev/null || true
			;;
		esac
	done < <(ip netns list 2>/dev/null)
	mkdir -p "$TC_STATE"
}

# Run a command in the background, in a process group of its own, and
# remember it for cleanup. Sets TC_BG_PID (= the process group id).
tc_bg() {
	local name=$1
	shift
	setsid "$@" &
	TC_BG_PID=$!
	echo "$TC_BG_PID" >"$TC_STATE/$name.pid"
}

tc_cleanup() {
	local rc=$?
	set +e
	# tests that start more (engines) clean that up first
	if declare -F tc_cleanup_hook >/dev/null; then
		tc_cleanup_hook
	fi
	tc_reset
	rm -rf "$TC_STATE" "$TC_TMP"
	if [ $rc = 0 ]; then
		echo "[$TC_TEST] $tc_checks checks passed"
	fi
	exit $rc
}
trap tc_cleanup EXIT
trap 'exit 130' INT TERM

# tc_pair A B LINK_A LINK_B NET: two namespaces tct-$TC_TEST-A/B joined by a
# veth pair LINK_A/LINK_B with 198.51.100.NET+1/30 and +2/30.
tc_pair() {
	local a="tct-$TC_TEST-$1" b="tct-$TC_TEST-$2" la=$3 lb=$4 net=$5
	ip netns add "$a"
	ip netns add "$b"
	ip -n "$a" link set lo up
	ip -n "$b" link set lo up
	ip link add "$la" netns "$a" type veth peer name "$lb" netns "$b"
	ip -n "$a" addr add "198.51.100.$((net + 1))/30" dev "$la"
	ip -n "$b" addr add "198.51.100.$((net + 2))/30" dev "$lb"
	ip -n "$a" link set "$la" up
	ip -n "$b" link set "$lb" up
}

tc_ns_inode() { stat -L -c %i "/run/netns/$1"; }

# Start a capture into FILE in the background: tc_capture FILE VALUE [args].
# Sets TC_CAP_PID; stderr goes to FILE.err.
tc_capture() {
	local file=$1 value=$2
	shift 2
	: >"$file"
	"$TURTLECAP" --capture --extcap-interface "$value" --fifo "$file" "$@" \
		2>"$file.err" &
	TC_CAP_PID=$!
	echo "$TC_CAP_PID" >"$TC_STATE/capture-$TC_CAP_PID.pid"
	# the capture is live once its IDBs are written
	local i
	for i in $(seq 1 100); do
		if [ -s "$file" ] && capinfos -I "$file" 2>/dev/null | grep -q 'Interface #'; then
			return 0
		fi
		kill -0 "$TC_CAP_PID" 2>/dev/null || return 0
		sleep 0.05
	done
}

# Stop a capture with SIGTERM and wait; returns its exit code.
tc_capture_stop() {
	local pid=$1 rc=0
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" || rc=$?
	rm -f "$TC_STATE/capture-$pid.pid"
	return $rc
}

# tc_has TEXT PATTERN, tc_lacks TEXT PATTERN: whether TEXT has a line
# matching PATTERN (grep's basic regex). Texts are never pasted into a
# command line: they hold quotes ("Couldn't connect") and names.
tc_has() { grep -q -e "$2" <<<"$1"; }
tc_lacks() { ! grep -q -e "$2" <<<"$1"; }

# Count frames of FILE matching display filter F.
tc_count() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

tc_reset
