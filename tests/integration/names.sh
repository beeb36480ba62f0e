#!/bin/bash
# Names Wireshark can read, values Wireshark can use (issue 14), through
# tshark -> turtlecap: netns names holding U+2028, U+2029, U+0085 and
# U+202E are listed by `tshark -D` one line each and captured; containers
# named with 230, 300 and 1500 characters (served by the fake engine: a
# name of any length) get values within Wireshark 4.0's fifo-name limit
# (at most 232 bytes; ours 200), listed and captured with `tshark -i`.
TC_TEST=nam
# shellcheck source=lib.sh
source "${TC_TESTS:?TC_TESTS must point to the tests/ directory}/integration/lib.sh"
# shellcheck source=engines-lib.sh
source "$TC_TESTS/integration/engines-lib.sh" # tc_fake_engine (no dockerd)
: "${TC_FAKE_ENGINE:?}"
command -v python3 >/dev/null || tc_fail "python3 is missing"

export WIRESHARK_CONFIG_DIR=$TC_TMP/wsconf
# the personal extcap folder (honoured as root; WIRESHARK_EXTCAP_DIR is
# not) wins over the installed one. The engines module is loaded from
# beside the executable: both here, a link in the folder
mkdir -p "$WIRESHARK_CONFIG_DIR/extcap" "$TC_TMP/bin"
cp "$TURTLECAP" "$(dirname "$TURTLECAP")/turtlecap-engines.so" "$TC_TMP/bin/"
ln -s "$TC_TMP/bin/turtlecap" "$WIRESHARK_CONFIG_DIR/extcap/turtlecap"
cd "$TC_TMP"

LS=$(printf '\xe2\x80\xa8')  # U+2028 LINE SEPARATOR
PS=$(printf '\xe2\x80\xa9')  # U+2029 PARAGRAPH SEPARATOR
NEL=$(printf '\xc2\x85')     # U+0085 NEXT LINE
RLO=$(printf '\xe2\x80\xae') # U+202E RIGHT-TO-LEFT OVERRIDE
# name:escaped value of each hostile netns
declare -A NS_VALUE=(
	["tct-nam-ls${LS}x"]=tc-netns-tct-nam-ls_e2_80_a8x
	["tct-nam-ps${PS}x"]=tc-netns-tct-nam-ps_e2_80_a9x
	["tct-nam-nel${NEL}x"]=tc-netns-tct-nam-nel_c2_85x
	["tct-nam-rlo${RLO}x"]=tc-netns-tct-nam-rlo_e2_80_aex
)
for ns in "${!NS_VALUE[@]}"; do
	ip netns add "$ns" || tc_fail "ip netns add refuses a name with U+2028 etc."
	ip -n "$ns" link set lo up
done

# containers: each in a netns of its own, a process there for the fake
# engine to report
pad() { printf "%0$1d" 0 | tr 0 "$2"; }
CT_NAMES=()
: >"$TC_TMP/names"
for len in 230 300 1500; do
	ns=tct-nam-c$len
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	tc_bg "sleep-$len" ip netns exec "$ns" sleep 600
	name=tct-nam-$len-
	name=$name$(pad $((len - ${#name})) a)
	[ ${#name} = "$len" ] || tc_fail "name of $len: ${#name}"
	CT_NAMES+=("$name")
	echo "$TC_BG_PID $name" >>"$TC_TMP/names"
done
export TC_FAKE_NAMES=$TC_TMP/names
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock names

# --- tshark -D: every interface on one line, no raw break or bidi control
rc=0
tshark -D >"$TC_TMP/D.out" 2>"$TC_TMP/D.err" || rc=$?
tc_check "tshark -D exits 0" [ "$rc" = 0 ]
# what Qt, GLib or Python take for lines (str.splitlines breaks at U+2028,
# U+2029, U+0085 as Qt does), against the lines that start an interface
lines() {
	python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read().splitlines()))' "$1"
}
numbered=$(grep -Ec '^[0-9]+\. ' "$TC_TMP/D.out")
# Wireshark's sentence regex does not match across them: such an
# interface is dropped with "No display in INTERFACE sentence" on stdout
# (also for an older installed turtlecap, whose sentences are parsed too:
# those lines are not counted)
grep -av '^No display in INTERFACE sentence$' "$TC_TMP/D.out" >"$TC_TMP/D.ours" || true
tc_check "tshark -D: one line per interface ($(lines "$TC_TMP/D.ours") lines, $numbered interfaces)" \
	[ "$(lines "$TC_TMP/D.ours")" = "$numbered" ]
for c in "$LS" "$PS" "$NEL" "$RLO"; do
	tc_check "tshark -D: no raw $(printf %s "$c" | od -An -tx1 | tr -d ' ')" \
		bash -c '! grep -qF -- "$1" "$2"' _ "$c" "$TC_TMP/D.out"
done
for ns in "${!NS_VALUE[@]}"; do
	v=${NS_VALUE[$ns]}
	tc_check "tshark -D lists $v once" [ "$(grep -c "^[0-9]*\. $v (" "$TC_TMP/D.out")" = 1 ]
done
tc_check "the display says U+2028 as \\u2028" grep -q '^[0-9]*\. tc-netns-tct-nam-ls_e2_80_a8x (turtlecap: netns tct-nam-ls\\u2028x)$' "$TC_TMP/D.out"
tc_check "the display says U+202E as \\u202e" grep -q 'tct-nam-rlo\\u202ex)$' "$TC_TMP/D.out"

# ws_capture NAME VALUE NS: tshark -i VALUE -c 5 while NS pings itself;
# FILE $TC_TMP/NAME.pcapng
ws_capture() {
	local name=$1 value=$2 ns=$3 rc=0 pinger
	(sleep 1.5 && ip netns exec "$ns" ping -c 15 -i 0.2 127.0.0.1 >/dev/null 2>&1) &
	pinger=$!
	timeout 60 tshark -i "$value" -c 5 -a duration:20 -w "$TC_TMP/$name.pcapng" \
		>"$TC_TMP/$name.out" 2>"$TC_TMP/$name.err" || rc=$?
	# this pinger only: a bare wait would wait for the namespaces' sleepers
	wait "$pinger" || true
	[ "$rc" = 0 ] || sed 's/^/    /' "$TC_TMP/$name.err" >&2
	return $rc
}
frames() { tshark -r "$1" 2>/dev/null | wc -l; }
# has_netns FILE INODE: FILE's interfaces are of netns INODE (on failure
# it shows which ones they are of)
has_netns() {
	tshark -r "$1" -T fields -e frame.interface_description 2>/dev/null >"$1.desc"
	grep -q "\"netns\":$2[,}]" "$1.desc" && return 0
	echo "    want netns $2; the descriptions ($(wc -l <"$1.desc") frames) say:" >&2
	grep -o '"netns":[0-9]*' "$1.desc" | sort | uniq -c | sed 's/^/    /' >&2
	cut -c1-200 "$1.desc" | sort -u | head -3 | sed 's/^/    /' >&2
	return 1
}

i=0
for ns in "${!NS_VALUE[@]}"; do
	v=${NS_VALUE[$ns]}
	i=$((i + 1))
	ws_capture "ns$i" "$v" "$ns" || true
	tc_check "tshark -i $v -c 5 captures 5 frames" [ "$(frames "$TC_TMP/ns$i.pcapng")" = 5 ]
	tc_check "$v: the capture is of that netns" has_netns "$TC_TMP/ns$i.pcapng" "$(tc_ns_inode "$ns")"
done

# --- long container names: short values, stable, distinct, captured
values=()
for name in "${CT_NAMES[@]}"; do
	line=$(grep -F "($name (docker))" "$TC_TMP/D.out" || true)
	tc_check "tshark -D lists the ${#name}-character name" [ -n "$line" ]
	v=$(sed -E 's/^[0-9]+\. ([^ ]+) \(.*/\1/' <<<"$line")
	tc_log "${#name} characters: $v (${#v} bytes)"
	tc_check "its value fits Wireshark's fifo name (${#v} <= 200)" [ "${#v}" -le 200 ]
	tc_check "its value is the cut name and a hash" \
		grep -Eq "^tc-docker-tct-nam-${#name}-a+__[0-9a-f]{16}\$" <<<"$v"
	values+=("$v")
done
tc_check "three names, three values" [ "$(printf '%s\n' "${values[@]}" | sort -u | wc -l)" = 3 ]
again=$("$TURTLECAP" --extcap-interfaces)
for v in "${values[@]}"; do
	tc_check "the value is stable: $v" grep -qF "{value=$v}" <<<"$again"
done
k=0
for len in 230 300 1500; do
	v=${values[$k]}
	k=$((k + 1))
	ws_capture "ct$len" "$v" "tct-nam-c$len" || true
	tc_check "tshark -i (the ${len}-character name's value) -c 5 captures 5 frames" \
		[ "$(frames "$TC_TMP/ct$len.pcapng")" = 5 ]
	tc_check "the ${len}-character name's capture is of its netns" \
		has_netns "$TC_TMP/ct$len.pcapng" "$(tc_ns_inode "tct-nam-c$len")"
	tc_check "its metadata names the container whole" bash -c \
		'tshark -r "$1" -T fields -e frame.interface_description 2>/dev/null | grep -qF "\"container\":\"$2\""' \
		_ "$TC_TMP/ct$len.pcapng" "${CT_NAMES[$((k - 1))]}"
done

tc_log "$tc_checks checks passed"
