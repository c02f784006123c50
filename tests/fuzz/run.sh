#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in their own build
# directory and runs each for a while. See tests/fuzz/README.md.
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGET is quantity_fuzzer, report_fuzzer
# and/or html_reader_fuzz (default all, one after the other). Environment:
#   FAZHI_FUZZ_BUILD_DIR  build directory (default ./build-fuzz)
#   FAZHI_SEEDS_DIR       the seed documents (default ../shared/seeds)
#
# Each run starts from the corpus kept in the build directory (new inputs are
# added to it), the hand-written inputs in tests/fuzz/corpus/<name>/ (for
# html_reader_fuzz, the portal pages in tests/report/portal_corpus/) and the
# seed documents, with tests/fuzz/chinese.dict. It prints the executions,
# exec/s and coverage from libFuzzer's final statistics, and exits non-zero
# if any target crashed, hung (one input over 10 s), leaked, ran out of
# memory (2 GB) or broke a FUZZ_CHECK; the input that did it is saved under
# <build>/artifacts/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${FAZHI_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SEEDS="${FAZHI_SEEDS_DIR:-$ROOT/../shared/seeds}"
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(quantity_fuzzer report_fuzzer html_reader_fuzz)
fi

bash "$ROOT/scripts/install-deps"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DFAZHI_FUZZ=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target "${TARGETS[@]}"

if [ ! -d "$SEEDS" ]; then
  echo "fuzz: seed documents not found at $SEEDS (set FAZHI_SEEDS_DIR)" >&2
  exit 1
fi

failed=()
for target in "${TARGETS[@]}"; do
  name="${target%_fuzzer}"
  name="${name%_fuzz}"
  corpus="$BUILD/corpus/$name"
  log="$BUILD/logs/$target.log"
  mkdir -p "$corpus" "$BUILD/artifacts" "$BUILD/logs"
  # A quantity is a phrase: longer inputs only slow the reader's search
  # down (each check walks the whole text). Reports keep libFuzzer's default,
  # which follows the longest input (the seeds are about 20 KB).
  # The HTML reader starts from the labelled portal pages.
  written=("$ROOT/tests/fuzz/corpus/$name")
  if [ "$target" = html_reader_fuzz ]; then written=("$ROOT/tests/report/portal_corpus"); fi
  max_len=()
  if [ "$target" = quantity_fuzzer ]; then max_len=(-max_len=1024); fi
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s (log: $log)"
  status=0
  "$BUILD/tests/fuzz/$target" "${max_len[@]}" \
    -max_total_time="$SECONDS_PER_TARGET" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -dict="$ROOT/tests/fuzz/chinese.dict" \
    -artifact_prefix="$BUILD/artifacts/$target-" \
    "$corpus" "${written[@]}" "$SEEDS" >"$log" 2>&1 || status=$?

  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  executions="$(stat number_of_executed_units)"
  per_second="$(stat average_exec_per_sec)"
  slowest="$(stat slowest_unit_time_sec)"
  coverage="$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+' || true)"
  echo "fuzz: $target: ${executions:-?} executions, ${per_second:-?} exec/s," \
    "${coverage:-no coverage line}, slowest input ${slowest:-?}s"
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target FAILED (exit $status); the end of its log:" >&2
    tail -n 60 "$log" >&2
    echo "fuzz: reproduce with: $BUILD/tests/fuzz/$target <the artifact named above>" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
