#!/bin/bash
# Wireshark start-up cost (issue 8, part 2), side by side in the same run.
# With 1, 50, 100 and 200 running busybox containers on the harness's dockerd
# (tct-stc-*, on a bridge network tct-stc-net of 203.0.113.0/24, added to
# as N grows, reused by every measurement), then with
# the containers gone and 500 bare netns (tct-stc-nsK), it measures in
# rounds, each round every command once in a rotated order:
#
#  * what Wireshark runs at every start: `turtlecap --extcap-interfaces`
#    then one `--extcap-config --extcap-interface V` per listed interface
#    (wall time of the whole sequence), with the default listing policy
#    (max_interfaces 20 and portals) and with TURTLECAP_MAX_INTERFACES=100000
#    (everything listed);
#  * `tshark -D` with turtlecap in a temporary personal extcap folder
#    (HOME and WIRESHARK_CONFIG_DIR under $TC_TMP, as in
#    tests/integration/wireshark.sh), with no extcap of ours, and with a
#    no-op C extcap (tests/bench/noop-extcap.c) listing as many interfaces
#    as turtlecap listed: Wireshark's own per-interface floor. A turtlecap
#    installed in the system extcap folder is hidden from tshark by a bind
#    mount in a mount namespace of each tshark run (every variant runs the
#    same way);
#  * discovery alone (`--extcap-interfaces`) next to `lsns -t net` and
#    `docker ps` on the same state, and dockerd's list alone (curl on its
#    socket): the floor under both;
#  * peak RSS of discovery (/usr/bin/time -f %M, else runstat).
#
# Prints one markdown table of medians over the rounds; ratios are medians
# of the per-round ratios. Needs root and the harness's engines (it takes
# the integration tests' machine lock; ~2.5 min).
#
#   TURTLECAP=build/extcap/turtlecap TC_TESTS=tests \
#   bash tests/bench/startup-cost.sh [--quick] [--runs R] [--containers "N..."]
#
# --quick: N = 1 and 20 containers, 100 netns, 3 rounds (a smoke check
# that it works and its figures are sane, ~30 s). --runs R: rounds per
# state (default 5). --containers: the container counts (default
# "1 50 100 200"). Exits non-zero if a command failed or a listing did
# not have the expected interfaces.
TC_TEST=stc
: "${TC_TESTS:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"

quick=0 runs=5 ctrs=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 runs=3 ;;
	--runs) runs=$2; shift ;;
	--containers) ctrs=$2; shift ;;
	*) echo "usage: $0 [--quick] [--runs R] [--containers \"N...\"]" >&2; exit 2 ;;
	esac
	shift
done
if [ $quick = 1 ]; then
	CTRS="1 20" NNS=100
else
	CTRS="1 50 100 200" NNS=500
fi
CTRS=${ctrs:-$CTRS}

# The harness's bridge (198.51.100.128/25) holds 125 containers: ours are
# on a network of their own, TEST-NET-3 (documentation addresses, no
# traffic leaves the machine), removed at the end.
NET=tct-$TC_TEST-net
NET_SUBNET=203.0.113.0/24
tc_cleanup_hook() {
	docker ps -aq --filter "name=^tct-$TC_TEST-" 2>/dev/null | xargs -r -P 8 -n 10 docker rm -f >/dev/null 2>&1
	docker network rm "$NET" >/dev/null 2>&1
	tc_engines_cleanup
}

# --- the no-op extcap and the three tshark set-ups
cc -O2 -o "$TC_TMP/noop-extcap" "$TC_TESTS/bench/noop-extcap.c" || tc_fail "cannot build noop-extcap.c"
for v in none tc noop; do
	mkdir -p "$TC_TMP/ws-$v/.config/wireshark/extcap"
done
cp "$TURTLECAP" "$TC_TMP/ws-tc/.config/wireshark/extcap/turtlecap"
cp "$TC_TMP/noop-extcap" "$TC_TMP/ws-noop/.config/wireshark/extcap/noop-extcap"
SYSDIR=$(tshark -G folders 2>/dev/null | awk -F'\t' '/^Extcap path/ { print $2; exit }')
[ -d "$SYSDIR" ] || tc_fail "no system extcap folder in tshark -G folders"
SYSCOPY=$TC_TMP/sys-extcap # the system's extcaps but turtlecap
mkdir -p "$SYSCOPY"
for f in "$SYSDIR"/*; do
	[ -f "$f" ] && [ "$(basename "$f")" != turtlecap ] && cp -p "$f" "$SYSCOPY/"
done

# tsh none|tc|noop: tshark -D with that personal extcap folder
tsh() {
	local h=$TC_TMP/ws-$1
	HOME=$h WIRESHARK_CONFIG_DIR=$h/.config/wireshark \
		unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && exec tshark -D' \
		sh "$SYSCOPY" "$SYSDIR"
}
# pol def|all: the listing policy of the turtlecap runs that follow
pol() {
	if [ "$1" = all ]; then
		export TURTLECAP_MAX_INTERFACES=100000
	else
		unset TURTLECAP_MAX_INTERFACES
	fi
}
# What Wireshark runs: the listing, then the config of every interface
wsseq() {
	local line
	"$TURTLECAP" --extcap-interfaces --extcap-version=4.0 >"$TC_TMP/seq.ifs" || return 1
	while IFS= read -r line; do
		[[ $line =~ ^interface\ \{value=([^}]*)\} ]] || continue
		"$TURTLECAP" --extcap-config --extcap-interface "${BASH_REMATCH[1]}" >/dev/null || return 1
	done <"$TC_TMP/seq.ifs"
}
failed=0
# us CMD...: wall microseconds of CMD (output discarded)
us() {
	local t0=${EPOCHREALTIME/./} rc=0
	"$@" >/dev/null 2>&1 || rc=$?
	local t1=${EPOCHREALTIME/./}
	[ $rc = 0 ] || echo "startup-cost: failed ($rc): $*" >&2
	echo $((t1 - t0)) $rc
}
nlisted() { "$TURTLECAP" --extcap-interfaces | grep -c '^interface'; }

KEYS=(disc_def disc_all seq_def seq_all tsh_none tsh_tc_def tsh_noop_def tsh_tc_all tsh_noop_all lsns dps dapi)
run_key() { # KEY -> "microseconds rc"
	case $1 in
	disc_def) pol def; us "$TURTLECAP" --extcap-interfaces ;;
	disc_all) pol all; us "$TURTLECAP" --extcap-interfaces ;;
	seq_def) pol def; us wsseq ;;
	seq_all) pol all; us wsseq ;;
	tsh_none) us tsh none ;;
	tsh_tc_def) pol def; us tsh tc ;;
	tsh_tc_all) pol all; us tsh tc ;;
	tsh_noop_def) TC_NOOP_N=$n_def us tsh noop ;;
	tsh_noop_all) TC_NOOP_N=$n_all us tsh noop ;;
	lsns) us lsns -t net ;;
	dps) us docker ps ;;
	# the floor under both: dockerd's own answer to the list, asked by
	# curl (one process, one request, no parsing)
	dapi) us curl -sf -o /dev/null --unix-socket "$TC_DOCKER_SOCK" http://d/containers/json ;;
	esac
}
RUNSTAT=${TC_RUNSTAT:-${TC_BUILD:-build}/tests/turtlecap-bench-runstat}
rss_kb() { # peak RSS of discovery with the current policy
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$TC_TMP/rss" "$TURTLECAP" --extcap-interfaces >/dev/null 2>&1
		tail -n 1 "$TC_TMP/rss"
	elif [ -x "$RUNSTAT" ]; then
		"$RUNSTAT" "$TC_TMP/rss" "$TURTLECAP" --extcap-interfaces >/dev/null 2>&1
		sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$TC_TMP/rss"
	else
		echo 0
	fi
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }

# measure STATE EXPECT_MIN: every key RUNS times into $TC_TMP/res/STATE.KEY
# (one line per round, ms); EXPECT_MIN: interfaces turtlecap must list
# with everything listed
measure() {
	local st=$1 want=$2 r i k out
	local d=$TC_TMP/res
	mkdir -p "$d"
	pol def; n_def=$(nlisted)
	pol all; n_all=$(nlisted)
	echo "$n_def" >"$d/$st.n_def"
	echo "$n_all" >"$d/$st.n_all"
	tc_log "$st: turtlecap lists $n_def (default policy), $n_all (everything)"
	tc_check "$st: everything listed ($n_all >= $want)" [ "$n_all" -ge "$want" ]
	pol def
	out=$("$TURTLECAP" --extcap-interfaces | grep '^interface' | grep -vc 'value=tc-portal-' || true)
	tc_check "$st: the default policy lists at most 21 targets ($out) and portals" [ "$out" -le 21 ]
	# sanity: tshark -D shows what each extcap listed
	pol def
	out=$(tsh tc 2>/dev/null | grep -c '^[0-9]*\. tc-' || true)
	tc_check "$st: tshark -D shows turtlecap's $n_def interfaces ($out)" [ "$out" = "$n_def" ]
	out=$(TC_NOOP_N=$n_all tsh noop 2>/dev/null | grep -c '^[0-9]*\. noop-' || true)
	tc_check "$st: tshark -D shows the no-op's $n_all interfaces ($out)" [ "$out" = "$n_all" ]
	for k in "${KEYS[@]}"; do # warm-up, not recorded
		run_key "$k" >/dev/null
	done
	for r in $(seq 0 $((runs - 1))); do
		for i in $(seq 0 $((${#KEYS[@]} - 1))); do
			k=${KEYS[$(((i + r) % ${#KEYS[@]}))]}
			read -r t rc < <(run_key "$k")
			[ "$rc" = 0 ] || failed=1
			echo "$r $t" >>"$d/$st.$k"
		done
	done
	for k in "${KEYS[@]}"; do # in round order
		sort -n -k1,1 "$d/$st.$k" | awk '{ printf "%.1f\n", $2 / 1000 }' >"$d/$st.$k.ms"
	done
	for p in def all; do
		pol $p
		for r in $(seq 1 "$runs"); do rss_kb; done | median >"$d/$st.rss_$p"
	done
}

# --- the states
tc_dockerd_start
tc_docker_reset
tc_docker_image
docker network rm "$NET" >/dev/null 2>&1 || true
docker network create --subnet "$NET_SUBNET" "$NET" >/dev/null || tc_fail "docker network create $NET"
STATES=()
have=0
for n in $CTRS; do
	tc_log "starting containers $((have + 1))..$n"
	seq $((have + 1)) "$n" | xargs -P 4 -I{} docker run -d --name "tct-$TC_TEST-{}" --network "$NET" "$TC_IMAGE" sleep 3600 >/dev/null ||
		tc_fail "docker run failed"
	have=$n
	sleep 1
	measure "c$n" $((n + 1))
	STATES+=("c$n")
done
tc_log "removing the containers"
docker ps -aq --filter "name=^tct-$TC_TEST-" | xargs -r -P 8 -n 10 docker rm -f >/dev/null
tc_log "adding $NNS netns"
for k in $(seq 1 "$NNS"); do
	ip netns add "tct-$TC_TEST-ns$k"
done
measure "ns$NNS" $((NNS + 1))
STATES+=("ns$NNS")
for k in $(seq 1 "$NNS"); do
	ip netns del "tct-$TC_TEST-ns$k" 2>/dev/null || true
done

# --- the table
d=$TC_TMP/res
med() { median <"$d/$1.$2.ms"; }
ratio() { # median over rounds of A/B
	paste "$d/$1.$2.ms" "$d/$1.$3.ms" | awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' | median |
		awk '{ printf "%.2f", $1 }'
}
head_of() {
	case $1 in
	c*) echo "${1#c} containers" ;;
	ns*) echo "${1#ns} netns" ;;
	esac
}
row() { # LABEL FUNCTION ARGS... (per state)
	local label=$1 s
	shift
	printf '| %s |' "$label"
	for s in "${STATES[@]}"; do
		printf ' %s |' "$("$@" "$s")"
	done
	printf '\n'
}
v_n() { cat "$d/$2.$1"; }
v_med() { med "$2" "$1"; }
v_ratio() { ratio "$3" "$1" "$2"; }
v_rss() { awk '{ printf "%.1f", $1 / 1024 }' "$d/$2.rss_$1"; }

echo
echo "turtlecap start-up cost: $runs rounds per state, medians in ms (ratios: median of per-round ratios)"
printf '| |'
for s in "${STATES[@]}"; do printf ' %s |' "$(head_of "$s")"; done
printf '\n|---|'
for s in "${STATES[@]}"; do printf -- '---|'; done
printf '\n'
row "interfaces listed, default policy" v_n n_def
row "interfaces listed, everything" v_n n_all
row "--extcap-interfaces, default" v_med disc_def
row "--extcap-interfaces, everything" v_med disc_all
row "interfaces + one --extcap-config each, default" v_med seq_def
row "interfaces + one --extcap-config each, everything" v_med seq_all
row "tshark -D, no extcap of ours" v_med tsh_none
row "tshark -D, turtlecap default" v_med tsh_tc_def
row "tshark -D, no-op listing as many" v_med tsh_noop_def
row "tshark -D, turtlecap everything" v_med tsh_tc_all
row "tshark -D, no-op listing as many (everything)" v_med tsh_noop_all
row "**tshark -D ratio turtlecap/no-op, default**" v_ratio tsh_tc_def tsh_noop_def
row "**tshark -D ratio turtlecap/no-op, everything**" v_ratio tsh_tc_all tsh_noop_all
row "**tshark -D ratio turtlecap default/none**" v_ratio tsh_tc_def tsh_none
row "tshark -D ratio turtlecap everything/none" v_ratio tsh_tc_all tsh_none
row "lsns -t net" v_med lsns
row "docker ps" v_med dps
row "Docker API list alone (curl)" v_med dapi
row "**discovery/docker ps, default**" v_ratio disc_def dps
row "discovery/docker ps, everything" v_ratio disc_all dps
row "docker ps/Docker API list alone" v_ratio dps dapi
row "discovery/Docker API list alone, default" v_ratio disc_def dapi
row "discovery/lsns -t net, everything" v_ratio disc_all lsns
row "peak RSS of discovery, default (MiB)" v_rss def
row "peak RSS of discovery, everything (MiB)" v_rss all

# sane: every command timed in every state, each median a positive number
sane() {
	local st k m
	for st in "${STATES[@]}"; do
		for k in "${KEYS[@]}"; do
			m=$(med "$st" "$k")
			awk -v m="$m" 'BEGIN { exit !(m + 0 > 0) }' || { echo "$st $k: median '$m'"; return 1; }
		done
		for k in def all; do
			m=$(cat "$d/$st.rss_$k")
			awk -v m="$m" 'BEGIN { exit !(m + 0 > 1024) }' || { echo "$st RSS $k: '$m' KiB"; return 1; }
		done
	done
}
tc_check "figures sane: every median of every state is a positive time, every RSS over 1 MiB" sane

if [ -n "${TC_BENCH_RAW:-}" ]; then
	cp -r "$d" "$TC_BENCH_RAW"
fi
[ $failed = 0 ] || tc_fail "a command failed or a listing was not as expected (above)"
