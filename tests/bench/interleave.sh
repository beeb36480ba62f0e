#!/bin/bash
# Wall time of shell commands run one after the other, round after round
# (A B C A B C ...), so that a shared machine's drift hits them alike:
# the median, quartiles and the ratio of medians to the first command.
#
#   bash tests/bench/interleave.sh [-n ROUNDS] 'CMD A' 'CMD B' ...
#
# e.g. two builds' discovery and docker ps on the same state:
#   DOCKER_HOST=unix:///run/turtlecap-tests/docker.sock bash tests/bench/interleave.sh -n 25 \
#     'OLD/extcap/turtlecap --extcap-interfaces' 'build/extcap/turtlecap --extcap-interfaces' 'docker ps'
set -euo pipefail
rounds=21
if [ "${1:-}" = -n ]; then
	rounds=$2
	shift 2
fi
[ $# -ge 1 ] || { echo "usage: $0 [-n ROUNDS] CMD..." >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
	k=0
	for c in "$@"; do
		k=$((k + 1))
		t0=${EPOCHREALTIME/./}
		eval "$c" >/dev/null 2>&1 || { echo "interleave: failed: $c" >&2; exit 1; }
		t1=${EPOCHREALTIME/./}
		echo "$k $((t1 - t0))" >>"$out"
	done
done
first=
for k in $(seq $#); do
	read -r p25 med p75 < <(awk -v k="$k" '$1 == k { print $2 / 1000 }' "$out" | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.1f %.1f %.1f\n", v[int((NR + 3) / 4)], v[int((NR + 1) / 2)], v[int((3 * NR + 3) / 4)] }')
	first=${first:-$med}
	printf '%-70s median %6.1f ms (p25 %.1f, p75 %.1f)  %.2fx\n' "${!k:0:70}" "$med" "$p25" "$p75" \
		"$(awk -v a="$med" -v b="$first" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
