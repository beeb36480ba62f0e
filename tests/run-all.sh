#!/bin/bash
# Second README command: the whole test suite. Checks the format, builds
# with warnings as errors, runs every unit and integration test, then does
# it all again under AddressSanitizer + UndefinedBehaviorSanitizer. Any
# failing test, and any skipped test, fails the run (TC_ALLOW_SKIP=1 to
# allow skips when running by hand without root).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== format (clang-format, .clang-format)"
# tracked and new (not yet committed, not ignored) files alike
mapfile -t sources < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null ||
	find src extcap plugin tests -name '*.[ch]')
clang-format --dry-run --Werror "${sources[@]}"

run_suite() {
	local dir=$1
	shift
	echo "== build $dir ($*)"
	cmake -S . -B "$dir" -DTURTLECAP_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	echo "== test $dir"
	local log="$dir/ctest.log" rc=0
	(cd "$dir" && ctest --output-on-failure --timeout 600 2>&1) | tee "$log" || rc=$?
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
# A short libFuzzer run of the plugin's metadata parser (its corpus also
# replays in both suites above as fuzz-turtle-meta-replay).
if command -v clang >/dev/null; then
	echo "== fuzz build-fuzz (clang, libFuzzer + ASan + UBSan, 30 s)"
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DTURTLECAP_FUZZ=ON \
		-DTURTLECAP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build-fuzz -j"$jobs" --target fuzz-turtle-meta >/dev/null
	corpus=$(mktemp -d /tmp/tc-fuzz-corpus.XXXXXX)
	cp tests/fuzz/corpus/turtle-meta/* "$corpus/"
	rc=0
	build-fuzz/tests/fuzz/fuzz-turtle-meta -max_total_time=30 -print_final_stats=1 \
		-artifact_prefix=build-fuzz/ "$corpus" >build-fuzz/fuzz.log 2>&1 || rc=$?
	rm -rf "$corpus"
	if [ $rc != 0 ]; then
		tail -n 40 build-fuzz/fuzz.log
		echo "FAILED: fuzz-turtle-meta (exit $rc; log build-fuzz/fuzz.log, input build-fuzz/crash-*)"
		exit 1
	fi
	grep -E '^stat::number_of_executed_units' build-fuzz/fuzz.log || true
else
	echo "== fuzz: skipped (no clang)"
fi
echo "== all suites passed"
