#!/bin/bash
# turtlecap driven by Wireshark's own extcap machinery (tshark 4.0): the
# binary is installed in a private personal extcap folder
# ($WIRESHARK_CONFIG_DIR/extcap, honoured even as root) and every query and
# capture goes through tshark -> dumpcap -> turtlecap.
TC_TEST=ws
# shellcheck source=lib.sh
source "${TC_TESTS:?TC_TESTS must point to the tests/ directory}/integration/lib.sh"

NS_A=tct-ws-a
NS_B=tct-ws-b
IF_A=tc-netns-$NS_A
IF_B=tc-netns-$NS_B
# preference prefix: value lowercased, non-[a-z0-9_] -> '_'
PREF_A=extcap.tc_netns_tct_ws_a

export WIRESHARK_CONFIG_DIR=$TC_TMP/wsconf
mkdir -p "$WIRESHARK_CONFIG_DIR/extcap"
cp "$TURTLECAP" "$WIRESHARK_CONFIG_DIR/extcap/turtlecap"
chmod 755 "$WIRESHARK_CONFIG_DIR/extcap/turtlecap"
cd "$TC_TMP"

# a: 198.51.100.1 on tcwa, b: 198.51.100.2 on tcwb
tc_pair a b tcwa tcwb 0
INO_A=$(tc_ns_inode "$NS_A")
INO_B=$(tc_ns_inode "$NS_B")

# ws_live NAME TSHARK-ARGS...: a bounded live tshark run writing NAME.pcapng;
# stderr goes to NAME.err. Sets WS_RC.
ws_live() {
	local name=$1
	shift
	WS_RC=0
	timeout 60 tshark "$@" -a duration:20 -w "$TC_TMP/$name.pcapng" \
		>"$TC_TMP/$name.out" 2>"$TC_TMP/$name.err" || WS_RC=$?
	if [ "$WS_RC" != 0 ]; then
		tc_log "tshark $* exited $WS_RC; stderr:"
		sed 's/^/    /' "$TC_TMP/$name.err" >&2
	fi
}
# frames FILE: number of frames in FILE
frames() { tshark -r "$1" 2>/dev/null | wc -l; }
# names FILE: the distinct frame.interface_name values of FILE
names() { tshark -r "$1" -T fields -e frame.interface_name 2>/dev/null | LC_ALL=C sort -u; }
# descs FILE: the distinct frame.interface_description values of FILE
descs() { tshark -r "$1" -T fields -e frame.interface_description 2>/dev/null | LC_ALL=C sort -u; }
# meta_re NS INODE: a turtlecap metadata description of netns NS
meta_re() { echo "^\\{\"turtlecap\":1,.*\"name\":\"$1\".*\"netns\":$2[,}]"; }
# no extcap error reached tshark (turtlecap writes stderr only on errors)
no_extcap_error() { ! grep -q 'Error by extcap pipe' "$1"; }
is() { [ "$1" = "$2" ]; }

# --- discovery: tshark -D runs --extcap-interfaces and lists our values
rc=0
tshark -D >"$TC_TMP/D.out" 2>"$TC_TMP/D.err" || rc=$?
tc_check "tshark -D exits 0" is "$rc" 0
tc_check "tshark -D lists tc-host" \
	grep -Eq '^[0-9]+\. tc-host \(turtlecap' "$TC_TMP/D.out"
tc_check "tshark -D lists $IF_A with its netns name in the display" \
	grep -Eq "^[0-9]+\. $IF_A \(.*$NS_A.*\)\$" "$TC_TMP/D.out"
tc_check "tshark -D lists $IF_B with its netns name in the display" \
	grep -Eq "^[0-9]+\. $IF_B \(.*$NS_B.*\)\$" "$TC_TMP/D.out"

# --- DLT query: tshark -L runs --extcap-dlts
rc=0
tshark -i "$IF_A" -L >"$TC_TMP/L.out" 2>"$TC_TMP/L.err" || rc=$?
tc_check "tshark -i $IF_A -L exits 0" is "$rc" 0
tc_check "tshark -L names the interface" \
	grep -q "^Data link types of interface $IF_A" "$TC_TMP/L.out"
tc_check "tshark -L lists a DLT" grep -Eq '^ +[A-Z][A-Z0-9_]* \(' "$TC_TMP/L.out"

# --- preferences: each --extcap-config arg becomes extcap.<if>.<call>
tshark -G currentprefs >"$TC_TMP/prefs.out" 2>/dev/null || true
tc_check "tshark -G currentprefs has $PREF_A.netifs" \
	grep -Eq "^#?$PREF_A\.netifs:" "$TC_TMP/prefs.out"

# ping b -> a for the captures below
tc_bg ping-ab ip netns exec "$NS_B" ping -q -i 0.2 198.51.100.1 >/dev/null 2>&1
PING_AB=$TC_BG_PID
sleep 0.5

# --- single-interface capture: pcapng passed through verbatim
ws_live one -i "$IF_A" -c 6
tc_check "capture on $IF_A exits 0" is "$WS_RC" 0
tc_check "capture on $IF_A reports no extcap error" no_extcap_error "$TC_TMP/one.err"
tc_check "capture on $IF_A has 6 frames" is "$(frames one.pcapng)" 6
tc_check "capture on $IF_A has an ICMP echo request" \
	[ "$(tc_count one.pcapng 'icmp.type == 8')" -ge 1 ]
tc_check "capture on $IF_A has an ICMP echo reply" \
	[ "$(tc_count one.pcapng 'icmp.type == 0')" -ge 1 ]
tc_check "every frame is on interface $IF_A/tcwa" \
	is "$(names one.pcapng)" "$IF_A/tcwa"
descs one.pcapng >"$TC_TMP/one.desc"
tc_check "the IDB description is turtlecap metadata of $NS_A" \
	grep -Eq "$(meta_re "$NS_A" "$INO_A")" "$TC_TMP/one.desc"

# --- tshark -f reaches the extcap as --extcap-capture-filter
# (only echo replies: the requests, unfiltered, would be half the frames)
ws_live filt -i "$IF_A" -f 'icmp[icmptype] == icmp-echoreply' -c 4
tc_check "capture with -f (echo replies) exits 0" is "$WS_RC" 0
tc_check "capture with -f (echo replies) has 4 frames" is "$(frames filt.pcapng)" 4
tc_check "capture with -f (echo replies) has only echo replies" \
	is "$(tc_count filt.pcapng 'icmp.type == 0')" 4
# an invalid one comes back as the extcap's one-line error
ws_live badfilt -i "$IF_A" -f 'tcp port' -c 2
tc_check "an invalid -f is reported by tshark as the extcap's error" \
	grep -q '^tshark: Error by extcap pipe: turtlecap: invalid capture filter' \
	"$TC_TMP/badfilt.err"

# --- two extcap interfaces at once: dumpcap merges both streams
ws_live merged -i "$IF_A" -i "$IF_B" -c 12
tc_check "merged capture exits 0" is "$WS_RC" 0
tc_check "merged capture reports no extcap error" no_extcap_error "$TC_TMP/merged.err"
tc_check "merged capture has 12 frames" is "$(frames merged.pcapng)" 12
descs merged.pcapng >"$TC_TMP/merged.desc"
tc_check "merged descriptions: turtlecap metadata of $NS_A" \
	grep -Eq "$(meta_re "$NS_A" "$INO_A")" "$TC_TMP/merged.desc"
tc_check "merged descriptions: turtlecap metadata of $NS_B" \
	grep -Eq "$(meta_re "$NS_B" "$INO_B")" "$TC_TMP/merged.desc"
tc_check "merged descriptions are all turtlecap metadata" \
	is "$(grep -vc '^{"turtlecap":1,' "$TC_TMP/merged.desc")" 0
tc_check "merged frames come from exactly $IF_A/tcwa and $IF_B/tcwb" \
	is "$(names merged.pcapng | tr '\n' ' ')" "$IF_A/tcwa $IF_B/tcwb "

# --- a preference set with -o reaches the extcap: only lo of netns a,
# while a's veth also carries the b -> a ping
tc_bg ping-lo ip netns exec "$NS_A" ping -q -i 0.2 127.0.0.1 >/dev/null 2>&1
PING_LO=$TC_BG_PID
sleep 0.3
ws_live lo -i "$IF_A" -o "$PREF_A.netifs:lo" -c 6
tc_check "capture with $PREF_A.netifs:lo exits 0" is "$WS_RC" 0
tc_check "netifs:lo capture reports no extcap error" no_extcap_error "$TC_TMP/lo.err"
tc_check "netifs:lo capture has 6 frames" is "$(frames lo.pcapng)" 6
tc_check "netifs:lo capture has the 127.0.0.1 pings" \
	[ "$(tc_count lo.pcapng 'icmp && ip.dst == 127.0.0.1')" -ge 1 ]
tc_check "netifs:lo capture only has frames on .../lo" \
	is "$(names lo.pcapng)" "$IF_A/lo"
# the unfiltered default does see the veth at the same time
ws_live all -i "$IF_A" -c 20
tc_check "default capture (all) sees both lo and tcwa" \
	is "$(names all.pcapng | tr '\n' ' ')" "$IF_A/lo $IF_A/tcwa "

kill "$PING_AB" "$PING_LO" 2>/dev/null || true
wait "$PING_AB" "$PING_LO" 2>/dev/null || true
