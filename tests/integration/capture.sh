#!/bin/bash
# Capture on real namespaces with real traffic, read back with tshark:
# content, interface names and metadata, direction flags, capture filter,
# interface selection, and every way a capture ends (SIGTERM, the reader
# closing the fifo, the namespace being deleted).
TC_TEST=cap
. "$TC_TESTS/integration/lib.sh"

tc_pair a b tcca tccb 8
A=tct-cap-a B=tct-cap-b
IP_A=198.51.100.9 IP_B=198.51.100.10

# --- ping from B to A, captured in A
f=$TC_TMP/a.pcapng
tc_capture "$f" tc-netns-$A
ip netns exec $B ping -c 4 -i 0.2 $IP_A >/dev/null
sleep 0.3
rc=0; tc_capture_stop $TC_CAP_PID || rc=$?
tc_check "SIGTERM ends the capture with exit 0" [ $rc = 0 ]
tc_check "nothing on stderr after a normal stop" [ ! -s "$f.err" ]
tc_check "tshark reads the file" tshark -r "$f" -c 1000 -q
tc_check "4 echo requests" [ "$(tc_count "$f" 'icmp.type == 8')" = 4 ]
tc_check "4 echo replies" [ "$(tc_count "$f" 'icmp.type == 0')" = 4 ]
tc_check "frames are on A's veth end" [ "$(tc_count "$f" "icmp && frame.interface_name == \"tc-netns-$A/tcca\"")" = 8 ]
tc_check "requests arrive inbound" [ "$(tc_count "$f" 'icmp.type == 8 && frame.packet_flags_direction == 1')" = 4 ]
tc_check "replies leave outbound" [ "$(tc_count "$f" 'icmp.type == 0 && frame.packet_flags_direction == 2')" = 4 ]
tc_check "nanosecond timestamps" bash -c "capinfos '$f' | grep -q 'nanoseconds (9)'"
desc=$(tshark -r "$f" -Y icmp -T fields -e frame.interface_description 2>/dev/null | head -1)
inoA=$(tc_ns_inode $A)
tc_check "description is turtlecap metadata v1" grep -q '^{"turtlecap":1,' <<<"$desc"
tc_check "description names the netns and its inode" grep -q "\"name\":\"$A\",\"netns\":$inoA," <<<"$desc"
tc_check "description names the interface" grep -q '"if":"tcca",' <<<"$desc"
info=$(capinfos "$f")
tc_check "SHB names the application" grep -q 'Capture application: turtlecap' <<<"$info"
tc_check "SHB comment names host and target" grep -q "Capture comment: .*$A.*\[tc-netns-$A\]" <<<"$info"
tc_check "one IDB per interface of A (lo, tcca)" grep -q 'Number of interfaces in file: 2' <<<"$info"
tc_check "interface statistics at the end" bash -c "tshark -r '$f' -q -z io,stat,0 >/dev/null && capinfos -I '$f' | grep -q 'Number of stat entries = 1'"

# --- a burst in both directions is written in time order (inbound and
# outbound handles are merged by timestamp)
f=$TC_TMP/burst.pcapng
tc_capture "$f" tc-netns-$A
ip netns exec $B ping -q -c 200 -i 0.002 $IP_A >/dev/null
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "burst: 200 requests and 200 replies" [ "$(tc_count "$f" 'icmp.type == 8 || icmp.type == 0')" = 400 ]
tc_check "burst: strict time order" bash -c "capinfos '$f' | grep -q 'Strict time order: *True'"

# --- capture filter: icmp only, while UDP flows at the same time
f=$TC_TMP/filter.pcapng
tc_capture "$f" tc-netns-$A --extcap-capture-filter icmp
for i in 1 2 3; do
	ip netns exec $B bash -c "echo hello >/dev/udp/$IP_A/9999" || true
	ip netns exec $B ping -c 1 $IP_A >/dev/null
done
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "filter keeps icmp" [ "$(tc_count "$f" icmp)" -ge 6 ]
tc_check "filter drops the UDP sent meanwhile" [ "$(tc_count "$f" 'udp && !icmp')" = 0 ]
tc_check "filter recorded in the IDB" bash -c "capinfos '$f' | grep -q 'Filter string = icmp'"
# control: without the filter the same UDP is captured
f=$TC_TMP/nofilter.pcapng
tc_capture "$f" tc-netns-$A
ip netns exec $B bash -c "echo hello >/dev/udp/$IP_A/9999" || true
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "without the filter the UDP is there" [ "$(tc_count "$f" 'udp.dstport == 9999 && !icmp')" -ge 1 ]

# --- interface selection: only lo; traffic on the veth is not captured
f=$TC_TMP/lo.pcapng
tc_capture "$f" tc-netns-$A --netifs lo
ip netns exec $A ping -c 2 -i 0.2 127.0.0.1 >/dev/null
ip netns exec $B ping -c 2 -i 0.2 $IP_A >/dev/null
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "--netifs lo captures lo" [ "$(tc_count "$f" "frame.interface_name == \"tc-netns-$A/lo\" && icmp")" -ge 2 ]
tc_check "--netifs lo leaves the veth out" [ "$(tc_count "$f" "frame.interface_name contains \"tcca\"")" = 0 ]

# --- the reader closes the fifo: an orderly stop (EPIPE), no error text
fifo=$TC_TMP/fifo
mkfifo "$fifo"
tc_bg pinger ip netns exec $B ping -q -i 0.05 $IP_A
head -c 3000 <"$fifo" >"$TC_TMP/head.bin" &
"$TURTLECAP" --capture --extcap-interface tc-netns-$A --fifo "$fifo" 2>"$TC_TMP/fifo.err" &
cp=$!
t0=$(now_ms)
rc=0
for i in $(seq 100); do kill -0 $cp 2>/dev/null || break; sleep 0.05; done
wait $cp || rc=$?
kill "$TC_BG_PID" 2>/dev/null || true
tc_check "reader gone: capture ends by itself with exit 0 ($(($(now_ms) - t0)) ms)" [ $rc = 0 ]
tc_check "reader gone: nothing on stderr" [ ! -s "$TC_TMP/fifo.err" ]

# --- the namespace is deleted (and its processes killed) mid-capture: the
# capture ends within 1 s and the file is valid and complete
tc_bg inside-b ip netns exec $B sleep 600
sleep 0.2
f=$TC_TMP/gone.pcapng
tc_capture "$f" tc-netns-$B
ip netns exec $A ping -c 3 -i 0.1 $IP_B >/dev/null
ip netns pids $B | xargs -r kill -KILL
ip netns del $B
t0=$(now_ms)
rc=0
while kill -0 $TC_CAP_PID 2>/dev/null && [ $(($(now_ms) - t0)) -lt 3000 ]; do sleep 0.02; done
elapsed=$(($(now_ms) - t0))
wait $TC_CAP_PID || rc=$?
tc_log "capture ended ${elapsed} ms after the namespace was deleted"
tc_check "deleted namespace ends the capture within 1 s (${elapsed} ms)" [ $elapsed -le 1000 ]
tc_check "and with exit 0" [ $rc = 0 ]
tc_check "it says why, in one line" bash -c "[ \$(wc -l <'$f.err') = 1 ] && grep -q 'went away' '$f.err'"
tc_check "the file is valid" tshark -r "$f" -q
tc_check "and holds the pings before the deletion" [ "$(tc_count "$f" 'icmp.type == 8')" = 3 ]

# --- SIGINT stops a capture even when started with SIGINT ignored (as a
# shell starts background jobs)
f=$TC_TMP/sigint.pcapng
: >"$f"
bash -c "trap '' INT; exec '$TURTLECAP' --capture --extcap-interface tc-netns-$A --fifo '$f'" 2>"$f.err" &
ip=$!
sleep 0.5
kill -INT $ip
t0=$(now_ms)
while kill -0 $ip 2>/dev/null && [ $(($(now_ms) - t0)) -lt 3000 ]; do sleep 0.02; done
rc=0
if kill -0 $ip 2>/dev/null; then kill -KILL $ip; rc=99; fi
wait $ip || rc=$?
tc_check "SIGINT (inherited as ignored) stops the capture with exit 0" [ $rc = 0 ]
tc_check "SIGINT: valid file, quiet" bash -c "tshark -r '$f' -q 2>/dev/null && [ ! -s '$f.err' ]"

# --- host capture (no setns) works too
f=$TC_TMP/host.pcapng
tc_capture "$f" tc-host --netifs lo
ping -c 2 -i 0.2 127.0.0.1 >/dev/null
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "host capture on lo sees the pings" [ "$(tc_count "$f" 'icmp.type == 8')" -ge 2 ]
