#!/bin/bash
# Two builds' start-up cost side by side on the same state: the
# harness's dockerd with N containers, then interleave.sh rounds of each
# build's `--extcap-interfaces` and `--list`, with `docker ps` as the
# yardstick (medians and ratios to the first command). For a change that
# must not cost start-up time (a refactoring, a new check):
#
#   TURTLECAP=build/extcap/turtlecap TC_TESTS=tests bash tests/bench/ab-startup.sh OLD/extcap/turtlecap \
#     build/extcap/turtlecap [N containers, default 100] [rounds, default 25]
TC_TEST=abs
: "${TC_TESTS:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
A=$1 B=$2 N=${3:-100} ROUNDS=${4:-25}
[ -x "$A" ] && [ -x "$B" ] || { echo "usage: $0 OLD_TURTLECAP NEW_TURTLECAP [N] [ROUNDS]" >&2; exit 2; }
tc_cleanup_hook() {
	docker ps -aq --filter "name=^tct-$TC_TEST-" | xargs -r -P 8 -n 10 docker rm -f >/dev/null 2>&1 || true
	tc_engines_cleanup
}
tc_dockerd_start
tc_docker_reset
tc_docker_image
seq 1 "$N" | xargs -P 4 -I{} docker run -d --name "tct-$TC_TEST-{}" "$TC_IMAGE" sleep 3600 >/dev/null ||
	tc_fail "docker run failed"
sleep 1
for t in "$A" "$B"; do
	n=$("$t" --extcap-interfaces | grep -c "^interface {value=tc-docker-tct-$TC_TEST-" || true)
	tc_log "$t lists $n of the $N containers"
done
bash "$TC_TESTS/bench/interleave.sh" -n "$ROUNDS" \
	"$A --extcap-interfaces" "$B --extcap-interfaces" \
	"$A --list" "$B --list" "docker ps"
