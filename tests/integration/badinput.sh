#!/bin/bash
# turtlecap's CLI on bad and unusual input: every error is one line on
# stderr prefixed "turtlecap: " naming the problem, with a non-zero exit;
# the extcap protocol answers (filter check, unknown options, grammar,
# config/reload) stay well-formed; odd namespace names get safe values.
TC_TEST=bad
# shellcheck source=lib.sh
source "${TC_TESTS:?TC_TESTS must point to the tests/ directory}/integration/lib.sh"

T=$TURTLECAP
NS_A=tct-bad-a
IF_A=tc-netns-$NS_A
# a name with a space and a byte that is not UTF-8
ODD=$'tct-bad-x y\xff'
ODD_VALUE=tc-netns-tct-bad-x_20y_ff

# lib.sh's leftover cleanup reads `ip netns list` word by word, so it cannot
# remove a name with a space: do it here, at start and at exit.
odd_del() {
	ip netns pids "$ODD" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
	ip netns del "$ODD" 2>/dev/null || true
}
odd_del
# (set +e first: under errexit, `(exit 1)` would end the trap early)
trap 'rc=$?; set +e; odd_del; (exit $rc); tc_cleanup' EXIT

cd "$TC_TMP"
tc_pair a b tcba tcbb 0

# run NAME ARGS...: turtlecap ARGS > NAME.out 2> NAME.err; sets RC
run() {
	local name=$1
	shift
	RC=0
	"$T" "$@" >"$TC_TMP/$name.out" 2>"$TC_TMP/$name.err" </dev/null || RC=$?
}
is() { [ "$1" = "$2" ]; }
nonzero() { [ "$1" != 0 ]; }
empty() { [ ! -s "$1" ]; }
nonempty() { [ -s "$1" ]; }
not_running() { ! kill -0 "$1" 2>/dev/null; }
# has_pings FILE: FILE holds at least two ICMP frames
has_pings() {
	local n
	n=$(tc_count "$1" icmp)
	[ "${n:-0}" -ge 2 ]
}
# exactly one newline-terminated line, prefixed "turtlecap: "
one_line() { [ "$(wc -l <"$1")" = 1 ] && [ "$(wc -c <"$1")" -gt 12 ] &&
	grep -q '^turtlecap: ' "$1"; }
# bad NAME PATTERN ARGS...: turtlecap ARGS fails with one stderr line
# matching PATTERN (grep -E)
bad() {
	local name=$1 pat=$2
	shift 2
	run "$name" "$@"
	if ! grep -Eq -- "$pat" "$TC_TMP/$name.err" || ! one_line "$TC_TMP/$name.err"; then
		sed 's/^/    stderr: /' "$TC_TMP/$name.err" >&2
	fi
	tc_check "$name: exits non-zero" nonzero "$RC"
	tc_check "$name: exactly one line on stderr" one_line "$TC_TMP/$name.err"
	tc_check "$name: stderr names the problem (/$pat/)" \
		grep -Eq -- "$pat" "$TC_TMP/$name.err"
}
# a regular file works as the --fifo
FIFO=$TC_TMP/out.pcapng
: >"$FIFO"

# --- unknown interface values
bad unknown-netns 'unknown interface "tc-netns-doesnotexist"' \
	--capture --extcap-interface tc-netns-doesnotexist --fifo "$FIFO"
bad unknown-eth0 'unknown interface "eth0"' \
	--capture --extcap-interface eth0 --fifo "$FIFO"
bad unknown-empty 'unknown interface' \
	--capture --extcap-interface '' --fifo "$FIFO"

# --- invalid capture filter on a capture
bad capture-badfilter 'invalid capture filter' \
	--capture --extcap-interface "$IF_A" --fifo "$FIFO" \
	--extcap-capture-filter 'tcp port'

# --- filter validation (no --capture): exit 0, any stdout = invalid
run check-badfilter --extcap-capture-filter 'tcp port' --extcap-interface tc-host
tc_check "filter check, invalid: exits 0" is "$RC" 0
tc_check "filter check, invalid: prints the pcap error on stdout" \
	nonempty "$TC_TMP/check-badfilter.out"
tc_check "filter check, invalid: nothing on stderr" empty "$TC_TMP/check-badfilter.err"
run check-goodfilter --extcap-capture-filter 'tcp port 80 and host 198.51.100.1' \
	--extcap-interface tc-host
tc_check "filter check, valid: exits 0" is "$RC" 0
tc_check "filter check, valid: empty stdout" empty "$TC_TMP/check-goodfilter.out"
tc_check "filter check, valid: nothing on stderr" empty "$TC_TMP/check-goodfilter.err"

# --- missing or unusable --fifo, other bad capture options
bad no-fifo 'fifo' --capture --extcap-interface "$IF_A"
bad no-interface 'extcap-interface' --capture --fifo "$FIFO"
bad fifo-nodir "cannot open fifo $TC_TMP/nonexistent/f: No such file" \
	--capture --extcap-interface "$IF_A" --fifo "$TC_TMP/nonexistent/f"
mkdir "$TC_TMP/adir"
bad fifo-dir "cannot open fifo $TC_TMP/adir: Is a directory" \
	--capture --extcap-interface "$IF_A" --fifo "$TC_TMP/adir"
bad bad-snaplen 'snaplen' \
	--capture --extcap-interface "$IF_A" --fifo "$FIFO" --snaplen lots
bad bad-netif 'nope' \
	--capture --extcap-interface "$IF_A" --fifo "$FIFO" --netifs nope
bad bad-logfile 'log file' \
	--capture --extcap-interface "$IF_A" --fifo "$FIFO" \
	--log-file "$TC_TMP/nonexistent/log" --log-level debug

# --- no capabilities (nobody, empty bounding set): the missing one is named
cp "$T" "$TC_TMP/turtlecap"
chmod 755 "$TC_TMP/turtlecap"
: >"$TC_TMP/f"
chmod 666 "$TC_TMP/f"
# nobody NAME VALUE: capture on VALUE as uid/gid 65534 without capabilities
nobody() {
	RC=0
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$TC_TMP/turtlecap" --capture \
		--extcap-interface "$2" --fifo "$TC_TMP/f" \
		>"$TC_TMP/$1.out" 2>"$TC_TMP/$1.err" || RC=$?
}
nobody nocaps-netns "$IF_A"
tc_check "unprivileged netns capture: exits non-zero" nonzero "$RC"
tc_check "unprivileged netns capture: one line on stderr" one_line "$TC_TMP/nocaps-netns.err"
tc_check "unprivileged netns capture: names CAP_SYS_ADMIN" \
	grep -q CAP_SYS_ADMIN "$TC_TMP/nocaps-netns.err"
: >"$TC_TMP/f"
nobody nocaps-host tc-host
tc_check "unprivileged host capture: exits non-zero" nonzero "$RC"
tc_check "unprivileged host capture: one line on stderr" one_line "$TC_TMP/nocaps-host.err"
tc_check "unprivileged host capture: names CAP_NET_RAW" \
	grep -q CAP_NET_RAW "$TC_TMP/nocaps-host.err"
# an error once --capture runs still gives the reader a pcapng header,
# its comment the error, and nothing else (lifecycle.sh: tshark ends)
tc_check "unprivileged capture wrote only a header carrying the error to the fifo" \
	bash -c "capinfos -c '$TC_TMP/f' | grep -q 'packets: *0' &&
		capinfos -k '$TC_TMP/f' | grep -q 'turtlecap: cannot capture on tc-host: missing CAP_NET_RAW'"

# --- unknown options are ignored (Wireshark adds new ones over time)
run future --extcap-interfaces --extcap-version=4.0 --some-future-option value
tc_check "unknown options: exits 0" is "$RC" 0
tc_check "unknown options: still lists tc-host" \
	grep -Fxq 'interface {value=tc-host}{display=turtlecap: host network namespace}' \
	"$TC_TMP/future.out"

# --- --extcap-interfaces grammar: only extcap/interface sentences, safe values
ip netns add "$ODD"
ip -n "$ODD" link set lo up
run ifaces --extcap-interfaces --extcap-version=4.0
tc_check "--extcap-interfaces: exits 0" is "$RC" 0
tc_check "--extcap-interfaces: nothing on stderr" empty "$TC_TMP/ifaces.err"
tc_check "--extcap-interfaces: first line is the extcap sentence" \
	grep -q '^extcap {version=[^{}]*}' <(head -n1 "$TC_TMP/ifaces.out")
tc_check "--extcap-interfaces: every line is an extcap or interface sentence" \
	is "$(grep -Evc '^(extcap \{.*\}|interface \{value=[^{}]*\}\{display=[^{}]*\})$' \
		"$TC_TMP/ifaces.out")" 0
sed -n 's/^interface {value=\([^{}]*\)}.*/\1/p' "$TC_TMP/ifaces.out" >"$TC_TMP/values"
tc_check "--extcap-interfaces: lists interfaces" [ "$(wc -l <"$TC_TMP/values")" -ge 3 ]
tc_check "--extcap-interfaces: every value matches ^tc-[A-Za-z0-9_.-]+\$" \
	is "$(grep -Evc '^tc-[A-Za-z0-9_.-]+$' "$TC_TMP/values")" 0
tc_check "--extcap-interfaces: values are unique" \
	is "$(sort "$TC_TMP/values" | uniq -d | wc -l)" 0
tc_check "--extcap-interfaces: lists $IF_A" grep -Fxq "$IF_A" "$TC_TMP/values"
# Wireshark drops sentences that are not UTF-8; the odd name has a \xff
tc_check "--extcap-interfaces: output is valid UTF-8" \
	iconv -f UTF-8 -t UTF-8 -o /dev/null "$TC_TMP/ifaces.out"

# --- odd netns name: escaped value, and a capture on it works
tc_check "odd netns listed as $ODD_VALUE" grep -Fxq "$ODD_VALUE" "$TC_TMP/values"
tc_bg ping-odd ip netns exec "$ODD" ping -q -i 0.2 127.0.0.1 >/dev/null 2>&1
PING_ODD=$TC_BG_PID
tc_capture "$TC_TMP/odd.pcapng" "$ODD_VALUE"
ODD_CAP=$TC_CAP_PID
for _ in $(seq 1 50); do
	has_pings "$TC_TMP/odd.pcapng" && break
	sleep 0.1
done
RC=0
tc_capture_stop "$ODD_CAP" || RC=$?
kill "$PING_ODD" 2>/dev/null || true
tc_check "capture on $ODD_VALUE: exits 0 on SIGTERM" is "$RC" 0
tc_check "capture on $ODD_VALUE: nothing on stderr" empty "$TC_TMP/odd.pcapng.err"
RC=0
tshark -r "$TC_TMP/odd.pcapng" -T fields -e frame.interface_name \
	>"$TC_TMP/odd.names" 2>"$TC_TMP/odd.rerr" || RC=$?
tc_check "capture on $ODD_VALUE: tshark -r reads it cleanly" is "$RC" 0
tc_check "capture on $ODD_VALUE: has ICMP frames" has_pings "$TC_TMP/odd.pcapng"
tc_check "capture on $ODD_VALUE: frames are on $ODD_VALUE/lo" \
	is "$(sort -u "$TC_TMP/odd.names")" "$ODD_VALUE/lo"

# --- --extcap-config: arg sentences, --netifs is a reloadable selector
run config --extcap-config --extcap-interface tc-host
tc_check "--extcap-config: exits 0" is "$RC" 0
tc_check "--extcap-config: only arg/value sentences" \
	is "$(grep -Evc '^(arg|value) \{' "$TC_TMP/config.out")" 0
tc_check "--extcap-config: has arg sentences" grep -q '^arg {number=' "$TC_TMP/config.out"
tc_check "--extcap-config: --netifs has {reload=true}" \
	grep -Eq '^arg \{number=[0-9]+\}\{call=--netifs\}.*\{reload=true\}' "$TC_TMP/config.out"

# --- Reload button: only value {arg=0} lines, with the namespace's links
run reload --extcap-config --extcap-interface "$IF_A" --extcap-reload-option netifs
tc_check "reload netifs: exits 0" is "$RC" 0
tc_check "reload netifs: nothing on stderr" empty "$TC_TMP/reload.err"
tc_check "reload netifs: prints lines" nonempty "$TC_TMP/reload.out"
tc_check "reload netifs: only value {arg=0} lines" \
	is "$(grep -vc '^value {arg=0}{value=' "$TC_TMP/reload.out")" 0
tc_check "reload netifs: lists the veth tcba of $NS_A" \
	grep -q '^value {arg=0}{value=tcba}' "$TC_TMP/reload.out"
tc_check "reload netifs: does not list b's veth tcbb" \
	is "$(grep -c 'tcbb' "$TC_TMP/reload.out")" 0

# --- a capture stopped by SIGTERM (Wireshark's stop) is silent on stderr;
# SIGINT likewise
tc_bg ping-ab ip netns exec "$NS_A" ping -q -i 0.2 198.51.100.2 >/dev/null 2>&1
PING_AB=$TC_BG_PID
for sig in TERM INT; do
	f=$TC_TMP/stop-$sig.pcapng
	tc_capture "$f" "$IF_A"
	pid=$TC_CAP_PID
	for _ in $(seq 1 50); do
		has_pings "$f" && break
		sleep 0.1
	done
	tc_check "SIG$sig: capture was running" kill -0 "$pid"
	tc_check "SIG$sig: capture got the pings" has_pings "$f"
	kill "-$sig" "$pid"
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	tc_check "SIG$sig: capture ended within 5 s" not_running "$pid"
	RC=0
	tc_capture_stop "$pid" || RC=$? # reaps it; the TERM it sends finds it gone
	tc_check "SIG$sig: exits 0" is "$RC" 0
	tc_check "SIG$sig: nothing on stderr" empty "$f.err"
	RC=0
	capinfos "$f" >/dev/null 2>&1 || RC=$?
	tc_check "SIG$sig: the pcapng is complete (capinfos)" is "$RC" 0
done
kill "$PING_AB" 2>/dev/null || true

# --- user-supplied strings are escaped in the error: a newline in them
# must not split the message over two stderr lines.
bad "newline-value" 'unknown interface' \
	--capture --extcap-interface $'tc-netns-a\nb' --fifo "$FIFO"
bad "newline-filter" 'invalid capture filter' \
	--capture --extcap-interface "$IF_A" --fifo "$FIFO" \
	--extcap-capture-filter $'tcp port\nfoo'
