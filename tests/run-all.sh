#!/bin/bash
# Second README command: the whole test suite. Checks the format, builds
# with warnings as errors, runs every unit and integration test, then does
# it all again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# the unit tests and a discovery against several engines at once under
# ThreadSanitizer. Any failing test, and any skipped test, fails the run
# (TC_ALLOW_SKIP=1 to allow skips when running by hand without root).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== format (clang-format, .clang-format)"
# tracked and new (not yet committed, not ignored) files alike
mapfile -t sources < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null ||
	find src extcap plugin tests -name '*.[ch]')
clang-format --dry-run --Werror "${sources[@]}"

# run_suite DIR CMAKE-ARGS...: build DIR, run its tests; ctest gets the
# arguments in suite_ctest (e.g. -L unit), under the command in suite_wrap
suite_ctest=()
suite_wrap=()
run_suite() {
	local dir=$1
	shift
	echo "== build $dir ($*)"
	cmake -S . -B "$dir" -DTURTLECAP_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	echo "== test $dir"
	local log="$dir/ctest.log" rc=0
	(cd "$dir" && "${suite_wrap[@]}" ctest --output-on-failure --timeout 600 "${suite_ctest[@]}" 2>&1) |
		tee "$log" || rc=$?
	if [ $rc != 0 ]; then
		echo "FAILED: $dir"
		exit 1
	fi
	if grep -qE '\*\*\*Skipped|Not Run' "$log" && [ "${TC_ALLOW_SKIP:-0}" != 1 ]; then
		echo "FAILED: $dir: tests were skipped (run as root; TC_ALLOW_SKIP=1 to allow)"
		exit 1
	fi
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DTURTLECAP_SANITIZE=ON

# ThreadSanitizer: the unit tests and the discovery with several engine
# threads at once (label tsan). gcc 12's libtsan maps its shadow memory at
# fixed addresses and cannot start where mmap randomness is above 28 bits
# (vm.mmap_rnd_bits, e.g. 32 on newer kernels' defaults): the suite then
# runs with ASLR off (setarch -R, inherited by ctest's children). A probe
# built alone says whether TSan starts, with or without it.
mkdir -p build-tsan
"${CC:-cc}" -fsanitize=thread -x c - -o build-tsan/tsan-probe <<'PROBE'
#include <pthread.h>
static void *f(void *a) { return a; }
int main(void)
{
	pthread_t t;
	return pthread_create(&t, 0, f, 0) || pthread_join(t, 0);
}
PROBE
rnd_bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)
no_aslr=(setarch "$(uname -m)" -R)
suite_wrap=()
[ "$rnd_bits" -gt 28 ] && suite_wrap=("${no_aslr[@]}")
if ! "${suite_wrap[@]}" build-tsan/tsan-probe >build-tsan/tsan-probe.log 2>&1; then
	if [ ${#suite_wrap[@]} = 0 ] && "${no_aslr[@]}" build-tsan/tsan-probe >build-tsan/tsan-probe.log 2>&1; then
		suite_wrap=("${no_aslr[@]}")
	else
		cat build-tsan/tsan-probe.log
		echo "FAILED: build-tsan: ThreadSanitizer does not start here (vm.mmap_rnd_bits=$rnd_bits${suite_wrap:+, under ${suite_wrap[*]}})"
		exit 1
	fi
fi
echo "== ThreadSanitizer: vm.mmap_rnd_bits=$rnd_bits, ${suite_wrap[*]:-ASLR on}"
suite_ctest=(-L 'unit|tsan')
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	run_suite build-tsan -DCMAKE_BUILD_TYPE=Debug -DTURTLECAP_SANITIZE=thread
suite_ctest=()
suite_wrap=()
# Short libFuzzer runs of every parser of untrusted input, NAME:SECONDS
# (their corpora also replay in the three suites above as fuzz-NAME-replay).
fuzz_targets=(turtle-meta:30 docker-json:20 unixsock:20 nspid:20
	mountinfo:20 netlink:20 grpc-frame:15 containerd-pb:15 cri-pb:15 relay:20)
if command -v clang >/dev/null; then
	echo "== fuzz build-fuzz (clang, libFuzzer + ASan + UBSan: ${fuzz_targets[*]})"
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DTURTLECAP_FUZZ=ON \
		-DTURTLECAP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	fuzz_names=("${fuzz_targets[@]%%:*}")
	cmake --build build-fuzz -j"$jobs" --target "${fuzz_names[@]/#/fuzz-}" >/dev/null
	for t in "${fuzz_targets[@]}"; do
		name=${t%%:*} secs=${t##*:}
		log=build-fuzz/fuzz-$name.log
		corpus=$(mktemp -d /tmp/tc-fuzz-corpus.XXXXXX)
		cp tests/fuzz/corpus/"$name"/* "$corpus/"
		rc=0
		build-fuzz/tests/fuzz/fuzz-"$name" -max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix=build-fuzz/"$name"- "$corpus" >"$log" 2>&1 || rc=$?
		rm -rf "$corpus"
		if [ $rc != 0 ]; then
			tail -n 40 "$log"
			echo "FAILED: fuzz-$name (exit $rc; log $log, input build-fuzz/$name-crash-*)"
			exit 1
		fi
		echo "fuzz-$name: $(grep -E '^stat::number_of_executed_units' "$log" || true)"
	done
else
	echo "== fuzz: skipped (no clang)"
fi
echo "== all suites passed"
