#!/bin/bash
# Capture benchmark, side by side: turtlecap, tcpdump -w and dumpcap -w
# capture the same paced load (tests/bench/trafgen.c) on a veth pair, in
# turn at every rate (A B C, then B C A, ...), into the same reader
# (pktsink.c: pcap/pcapng through a pipe, like Wireshark). Prints one
# table of medians over the sweeps and per-sweep ratios turtlecap/tcpdump
# and turtlecap/dumpcap (medians of the ratios), the highest loss-free rate
# of each tool at 1400 B, time to first packet and peak RSS.
#
#   bash tests/bench/run.sh [--smoke] [--build DIR] [--sweeps N]
#			    [--seconds S] [--long S] [--baseline BIN]
#			    [--summarize RAW]
#
# --smoke: one short sweep at low rates, checks the figures are sane (CI).
# Needs root. Each sweep runs under the integration tests' machine lock.
set -euo pipefail
cd "$(dirname "$0")/../.."

smoke=0 sweeps=3 secs=2 long=60 baseline= summarize=
build=${TC_BUILD:-build}
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 sweeps=1 secs=0.5 long=2 ;;
	--build) build=$2; shift ;;
	--sweeps) sweeps=$2; shift ;;
	--seconds) secs=$2; shift ;;
	--long) long=$2; shift ;;
	--baseline) baseline=$(realpath "$2"); shift ;;
	--summarize) summarize=$(realpath "$2"); shift ;;
	--_sweep) mode=sweep; sweep=$2; shift ;;
	--_long) mode=long ;;
	*) echo "usage: $0 [--smoke] [--build DIR] [--sweeps N] [--seconds S] [--long S]" >&2; exit 2 ;;
	esac
	shift
done
mode=${mode:-main}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the capture benchmark needs root (network namespaces)"
	exit 77
fi
TURTLECAP=${TURTLECAP:-$build/extcap/turtlecap}
B=$build/tests
for t in "$TURTLECAP" "$B/turtlecap-bench-trafgen" "$B/turtlecap-bench-pktsink" \
	"$B/turtlecap-bench-runstat"; do
	[ -x "$t" ] || { echo "FAIL: $t is not built (cmake --build $build)"; exit 1; }
done
for t in tcpdump dumpcap ip taskset; do
	command -v $t >/dev/null || { echo "FAIL: $t is missing (bash packaging/setup.sh)"; exit 1; }
done

TX=tct-bench-tx RX=tct-bench-rx LTX=tcbt LRX=tcbr
IP_TX=198.51.100.101 IP_RX=198.51.100.102 PORT=5009
# A unicast MAC nobody has: the receiver drops the frames right after the
# capture taps (PACKET_OTHERHOST), so its IP stack costs nothing and the
# generator reaches ~0.7 Mpps on 2 cores (with its own MAC: ~0.3).
DMAC=02:00:00:00:00:02
RING_MIB=4 # tcpdump -B and dumpcap -B: the ring turtlecap uses
LOCK=/run/turtlecap-tests/lock
export TURTLECAP_MAX_INTERFACES=1000 # never behind a portal
if [ $smoke = 1 ]; then
	rates64="20000" rates1400="20000 50000"
else
	rates64="100000 250000 400000 550000 700000"
	rates1400="50000 100000 200000 300000 400000 500000 600000"
fi
# other rates (pps, space-separated) for a closer look at some points
rates64=${TC_BENCH_RATES64:-$rates64}
rates1400=${TC_BENCH_RATES1400:-$rates1400}
TOOLS=(turtlecap tcpdump dumpcap)
# --baseline BIN: another turtlecap build (e.g. before a change) as a
# fourth tool, "tc-base", measured the same way in the same sweeps
[ -n "$baseline" ] && TOOLS+=(tc-base)

# --- one capture: measure TOOL LEN RATE SECONDS -> one result line
# Starts TOOL into a pktsink, waits until it captures, sends the load,
# stops the tool with SIGINT and collects the figures.
start_tool() {
	local tool=$1 d=$2
	# every tool writes into a fifo read by the same pktsink
	mkfifo "$d/fifo"
	"$B/turtlecap-bench-pktsink" "$d/fifo" $PORT >"$d/sink" &
	sink_pid=$!
	case $tool in
	turtlecap | tc-base)
		local bin=$TURTLECAP
		[ $tool = tc-base ] && bin=$baseline
		"$B/turtlecap-bench-runstat" "$d/stat" "$bin" --capture \
			--extcap-interface tc-netns-$RX --netifs $LRX --fifo "$d/fifo" \
			--log-level info --log-file "$d/log" 2>"$d/err" &
		;;
	tcpdump)
		"$B/turtlecap-bench-runstat" "$d/stat" ip netns exec $RX \
			tcpdump -i $LRX -p -B $((RING_MIB * 1024)) -s 262144 -w - \
			>"$d/fifo" 2>"$d/err" &
		;;
	dumpcap)
		"$B/turtlecap-bench-runstat" "$d/stat" ip netns exec $RX \
			dumpcap -i $LRX -p -B $RING_MIB -s 262144 -w - \
			>"$d/fifo" 2>"$d/err" &
		;;
	esac
	tool_pid=$!
}

tool_ready() {
	local tool=$1 d=$2
	case $tool in
	turtlecap | tc-base) grep -qs 'capturing on' "$d/log" ;;
	tcpdump) grep -qs 'listening on' "$d/err" ;;
	dumpcap) grep -qs 'Capturing on' "$d/err" ;;
	esac
}

tool_drops() {
	local tool=$1 d=$2 v
	case $tool in
	turtlecap | tc-base) v=$(sed -n 's/.*isb_drop=\(-\?[0-9]*\).*/\1/p' "$d/sink") ;;
	tcpdump) v=$(sed -n 's/^\([0-9]*\) packets\? dropped by kernel.*/\1/p' "$d/err") ;;
	dumpcap) v=$(sed -n "s/^Packets received\/dropped on interface '[^']*': [0-9]*\/\([0-9]*\).*/\1/p" "$d/err") ;;
	esac
	echo "${v:--1}"
}

ifdrops() { ip netns exec $RX cat /sys/class/net/$LRX/statistics/rx_dropped; }

measure() {
	local tool=$1 len=$2 rate=$3 secs=$4 d i t0 gen
	d=$(mktemp -d /tmp/tc-bench.XXXXXX)
	t0=${EPOCHREALTIME/./}
	start_tool "$tool" "$d"
	for i in $(seq 1 100); do
		tool_ready "$tool" "$d" && break
		sleep 0.03
	done
	sleep 0.1
	local drop0
	drop0=$(ifdrops)
	gen=$(ip netns exec $TX taskset -c 1 "$B/turtlecap-bench-trafgen" -i $LTX -m $DMAC \
		-s $IP_TX -d $IP_RX -p $PORT -l "$len" -r "$rate" -t "$secs")
	# tcpdump -w hands a ring block over after 1 s (its timeout) and
	# drops what the ring holds on SIGINT: let every tool catch up
	sleep 1.1
	kill -INT "$tool_pid" 2>/dev/null || true
	wait "$tool_pid" 2>/dev/null || true
	wait "$sink_pid" 2>/dev/null || true
	local sent matched cpu rss ifd
	sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' <<<"$gen")
	matched=$(sed -n 's/.*matched=\([0-9]*\).*/\1/p' "$d/sink" 2>/dev/null)
	cpu=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' "$d/stat" 2>/dev/null)
	rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$d/stat" 2>/dev/null)
	ifd=$(($(ifdrops) - drop0))
	echo "$tool $len $rate ${sent:-0} ${matched:-0} $(tool_drops "$tool" "$d") $ifd ${cpu:-0} ${rss:-0} $sweep"
	if [ -z "$matched" ] || [ "$matched" = 0 ]; then
		echo "bench: $tool captured nothing at $len B $rate pps: $(head -c 600 "$d/err" "$d/log" 2>/dev/null | tr '\n' ' ')" >&2
	fi
	rm -rf "$d"
}

# time to first packet: TOOL started while 64 B frames flow at 100 kpps
ttfp() {
	local tool=$1 d t0 first gen_pid
	d=$(mktemp -d /tmp/tc-bench.XXXXXX)
	ip netns exec $TX taskset -c 1 "$B/turtlecap-bench-trafgen" -i $LTX -m $DMAC \
		-s $IP_TX -d $IP_RX -p $PORT -l 64 -r 100000 -t 2 >/dev/null &
	gen_pid=$!
	sleep 0.2
	t0=${EPOCHREALTIME/./}
	start_tool "$tool" "$d"
	wait $gen_pid
	kill -INT "$tool_pid" 2>/dev/null || true
	wait "$tool_pid" 2>/dev/null || true
	wait "$sink_pid" 2>/dev/null || true
	first=$(sed -n 's/.*first_ms=\([0-9.]*\).*/\1/p' "$d/sink")
	awk -v f="${first:-0}" -v t="$t0" -v tool="$tool" -v s="$sweep" \
		'BEGIN { printf "ttfp %s %.1f %s\n", tool, (f > 0 ? f - t / 1000 : -1), s }'
	rm -rf "$d"
}

setup_net() {
	ip netns del $TX 2>/dev/null || true
	ip netns del $RX 2>/dev/null || true
	ip netns add $TX
	ip netns add $RX
	ip link add $LTX netns $TX type veth peer name $LRX netns $RX
	ip -n $TX addr add $IP_TX/30 dev $LTX
	ip -n $RX addr add $IP_RX/30 dev $LRX
	ip -n $TX link set lo up
	ip -n $RX link set lo up
	ip -n $TX link set $LTX up
	ip -n $RX link set $LRX up
}
teardown_net() {
	ip netns del $TX 2>/dev/null || true
	ip netns del $RX 2>/dev/null || true
}

if [ $mode = sweep ]; then
	# rotate the order every sweep: no tool always runs first
	n=${#TOOLS[@]}
	order=()
	for i in $(seq 0 $((n - 1))); do
		order+=("${TOOLS[$(((i + sweep) % n))]}")
	done
	for len in 64 1400; do
		[ $len = 64 ] && rates=$rates64 || rates=$rates1400
		for rate in $rates; do
			for tool in "${order[@]}"; do
				measure "$tool" $len "$rate" "$secs"
			done
		done
	done
	for tool in "${order[@]}"; do
		ttfp "$tool"
	done
	exit 0
fi
if [ $mode = long ]; then
	sweep=long
	rate=200000
	[ $smoke = 1 ] && rate=20000
	measure turtlecap 1400 $rate "$long" | sed 's/^/long /'
	exit 0
fi

# --- main: set up, run the sweeps (each under the lock), summarise
if [ -n "$summarize" ]; then
	# the table again from the raw lines of an earlier run (TC_BENCH_RAW);
	# give the same --sweeps, --seconds, --long and --baseline
	results=$summarize
else
	results=$(mktemp /tmp/tc-bench-results.XXXXXX)
	trap 'teardown_net; rm -f "$results"' EXIT
	setup_net
	args=(--build "$build" --seconds "$secs" --long "$long")
	[ -n "$baseline" ] && args+=(--baseline "$baseline")
	[ $smoke = 1 ] && args+=(--smoke)
	for s in $(seq 1 "$sweeps"); do
		echo "sweep $s/$sweeps ..." >&2
		flock -o -w 1200 $LOCK bash "$0" "${args[@]}" --_sweep "$s" >>"$results"
	done
	echo "turtlecap ${long}s capture ..." >&2
	flock -o -w 1200 $LOCK bash "$0" "${args[@]}" --_long >>"$results"
	[ -n "${TC_BENCH_RAW:-}" ] && cp "$results" "$TC_BENCH_RAW"
fi

awk -v smoke=$smoke -v sweeps="$sweeps" -v r64="$rates64" -v r1400="$rates1400" \
	-v secs="$secs" -v long="$long" -v tools="${TOOLS[*]}" '
function median(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	if (n == 0) return "nan"
	for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(k, v) { vals[k] = (k in vals) ? vals[k] " " v : v }
function fmt(x) { return x == "nan" ? "nan" : sprintf("%.2f", x) }
$1 == "ttfp" { add("ttfp " $2, $3); next }
$1 == "long" { lcap = $6; lsent = $5; lcpu = $9; lrss = $10; next }
{
	tool = $1; len = $2; rate = $3; sent = $4; cap = $5; drop = $6; ifd = $7; cpu = $8; rss = $9; sw = $10
	k = len " " rate
	lost = sent - cap; if (lost < 0) lost = 0
	add(k " " tool " sent", sent); add(k " " tool " lost", lost); add(k " sent", sent)
	add(k " " tool " drop", drop); add(k " " tool " ifd", ifd)
	cpm = cap > 0 ? cpu / cap * 1e6 : -1
	add(k " " tool " cpm", cpm); add(k " " tool " rss", rss)
	cpms[k " " tool " " sw] = cpm
	sws[sw] = 1
	if (cap <= 0 || cpu <= 0) bad = bad sprintf("%s %s B %s pps: captured %s, cpu %s\n", tool, len, rate, cap, cpu)
}
END {
	nt = split(tools, T, " ")
	printf "capture: %d sweep(s) x %s s per point, medians. lost = sent - captured (any cause); drop = the tool'"'"'s own kernel drop count;\n", sweeps, secs
	printf "ifdrop = veth rx_dropped; cpu = user+sys CPU s per million packets captured; RSS = peak (VmHWM); ratios = median of per-sweep ratios\n"
	hdr = sprintf("%-5s %-7s %-7s", "len", "pps", "sent/s")
	for (t = 1; t <= nt; t++) hdr = hdr sprintf(" | %-33s", T[t] " lost/drop/ifdrop cpu RSS")
	for (t = 2; t <= nt; t++) hdr = hdr sprintf(" | cpu tc/%-7s", T[t])
	print hdr
	n = 0
	for (j = 1; j <= split(r64, ra, " "); j++) ord[++n] = "64 " ra[j]
	for (j = 1; j <= split(r1400, ra, " "); j++) ord[++n] = "1400 " ra[j]
	for (i = 1; i <= n; i++) {
		k = ord[i]; split(k, kk, " ")
		line = sprintf("%-5s %-7s %-7d", kk[1], kk[2], median(vals[k " sent"]) / secs)
		for (t = 1; t <= nt; t++) {
			tool = T[t]
			line = line sprintf(" | %7d/%7d/%4d %6.3f %5.1fM", median(vals[k " " tool " lost"]), median(vals[k " " tool " drop"]), median(vals[k " " tool " ifd"]), median(vals[k " " tool " cpm"]), median(vals[k " " tool " rss"]) / 1024)
		}
		for (t = 2; t <= nt; t++) {
			r = ""
			for (sw in sws) {
				a = cpms[k " " T[1] " " sw]; b = cpms[k " " T[t] " " sw]
				if (a > 0 && b > 0) r = r " " a / b
			}
			m = median(r)
			if (m == "nan") bad = bad "no CPU ratio " T[1] "/" T[t] " at " k "\n"
			line = line sprintf(" | %14s", fmt(m))
		}
		print line
	}
	# highest offered rate at 1400 B with every lower rate loss-free too
	# (lost <= 0.01% of sent); "+": loss-free at every offered rate, i.e.
	# up to what the generator reached (the sent/s column), where the
	# ratio between two such tools says nothing but ">= 1"
	line = "loss-free at 1400 B (highest offered rate, all lower ones too; + = at every rate):"
	for (t = 1; t <= nt; t++) {
		tool = T[t]; best[tool] = 0; broken = 0
		for (i = 1; i <= n; i++) {
			k = ord[i]; split(k, kk, " "); if (kk[1] != 1400) continue
			lo = median(vals[k " " tool " lost"]); se = median(vals[k " " tool " sent"])
			if (!broken && lo <= se * 0.0001) best[tool] = kk[2]; else broken = 1
		}
		top[tool] = !broken
		line = line sprintf(" %s %d%s", tool, best[tool], top[tool] ? "+" : "")
	}
	for (t = 2; t <= nt; t++) {
		if (top[T[1]] && top[T[t]]) r = ">=1 (both at every rate)"
		else if (top[T[1]]) r = (best[T[t]] > 0 ? ">=" fmt(best[T[1]] / best[T[t]]) : "inf")
		else r = (best[T[t]] > 0 ? fmt(best[T[1]] / best[T[t]]) : "nan")
		line = line sprintf("; tc/%s %s", T[t], r)
	}
	print line
	line = "time to first packet (ms after exec, median; 64 B at 100 kpps flowing):"
	for (t = 1; t <= nt; t++) line = line sprintf(" %s %s", T[t], median(vals["ttfp " T[t]]))
	print line
	printf "turtlecap %s s at 1400 B: sent %d, captured %d, cpu %.2f s, peak RSS %.1f MiB\n", long, lsent, lcap, lcpu, lrss / 1024
	if (smoke) {
		for (t = 1; t <= nt; t++) if (median(vals["ttfp " T[t]]) <= 0) bad = bad T[t] ": no first packet\n"
		if (lcap <= 0) bad = bad "long capture: nothing captured\n"
		if (bad != "") { printf "FAIL: figures not sane:\n%s", bad; exit 1 }
		print "smoke: figures sane"
	}
}' "$results"
