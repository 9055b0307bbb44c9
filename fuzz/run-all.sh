#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after another, at low
# priority. Exits non-zero and prints the path of every crashing input if any target fails.
#
#   fuzz/run-all.sh 600                 # ten minutes per target
#   fuzz/run-all.sh 60 value parse_plan # one minute each for two targets
#
# New inputs libFuzzer finds go to fuzz/work/<target>/ (ignored by git); the committed seeds in
# fuzz/corpus/<target>/ and dictionaries in fuzz/dict/<target>.dict are read, never written. Crashes go to fuzz/artifacts/<target>/; replay
# one with `cargo +nightly fuzz run -s none <target> <file>`.
#
# The library forbids unsafe code, so the targets are built without a sanitizer (twice as
# fast); set FUZZ_SANITIZER=address to use one. Debug assertions and overflow checks are on.
set -uo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [TARGET...]" >&2
    exit 2
fi
seconds=$1
shift
cd "$(dirname "$0")"
sanitizer=${FUZZ_SANITIZER:-none}
fuzz=(nice -n 10 cargo +nightly fuzz)

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

"${fuzz[@]}" build -s "$sanitizer" || exit 2

failed=()
for target in "${targets[@]}"; do
    mkdir -p "work/$target" "artifacts/$target"
    log="work/$target.log"
    echo "== $target: ${seconds}s (log: fuzz/$log)"
    # -timeout: an input that takes this long counts as a failure (a hang, not a crash).
    # -rss_limit_mb: so does one that needs this much memory.
    options=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1)
    # Keywords of the format, so mutations make lines the parser gets further into.
    [[ -f "dict/$target.dict" ]] && options+=(-dict="dict/$target.dict")
    "${fuzz[@]}" run -s "$sanitizer" "$target" "work/$target" "corpus/$target" -- \
        "${options[@]}" >"$log" 2>&1
    status=$?
    grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb' "$log" | tail -3
    if [[ $status -ne 0 ]]; then
        artifact=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tail -1)
        echo "!! $target failed (exit $status): ${artifact:-no artifact, see fuzz/$log}"
        grep -m1 -E "panicked at|ERROR: libFuzzer" "$log"
        failed+=("$target: ${artifact:-fuzz/$log}")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "failed targets:"
    printf '  %s\n' "${failed[@]}"
    exit 1
fi
echo "all ${#targets[@]} targets ran ${seconds}s each without a failure"
