#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the in-tree syscall fuzzer (user/bin/sysfuzz.c) in QEMU: one run per seed, each
# deterministic (-icount). Prints one line per run and a summary of calls, panics, hangs and
# leaks; a failing run prints its one-line reproducer. Exit status 0 only if every run passed.
# usage: fuzz-kernel.sh --build build/<policy> [--calls N] [--timeout S] [--verbose] [-j N] SEED...
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="" calls=10000 timeout=600 verbose=0 jobs=1
seeds=()
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --verbose) verbose=1; shift ;;
    -j) jobs=$2; shift 2 ;;
    -h|--help) sed -n '3,7p' "$0"; exit 0 ;;
    -*) echo "fuzz-kernel.sh: error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) seeds+=("$1"); shift ;;
    esac
done
[ -n "$build" ] || { echo "fuzz-kernel.sh: error: --build DIR is required" >&2; exit 2; }
[ ${#seeds[@]} -gt 0 ] || { echo "fuzz-kernel.sh: error: give at least one seed" >&2; exit 2; }
policy=$(basename "$build")
for m in sysfuzz fuzzworker fuzzchild; do
    [ -f "$build/user/$m.elf" ] || { echo "fuzz-kernel.sh: error: no $build/user/$m.elf (make POLICY=$policy first)" >&2; exit 2; }
done

# One run: writes the configuration module, boots, judges; the verdict goes to <dir>/verdict.
run_one() {
    local seed=$1 dir="$build/fuzz/seed-$1-calls-$calls"
    mkdir -p "$dir"
    printf 'seed=%s calls=%s verbose=%s\n' "$seed" "$calls" "$verbose" > "$dir/fuzzcfg"
    "$root/scripts/qemu-run.sh" --timeout "$timeout" "$build/kernel.bin" "$build/user/sysfuzz.elf" \
        "$build/user/fuzzworker.elf" "$build/user/fuzzchild.elf" "$dir/fuzzcfg" \
        > "$dir/serial.log" 2>&1 < /dev/null
    local st=$? kind=pass
    local res
    # Kernel messages may interleave with the supervisor's lines: match anywhere in a line.
    res=$(grep -ao 'sysfuzz: result.*' "$dir/serial.log" | tail -1)
    if [ "$st" = 255 ] || grep -aq '\*\*\* KERNEL PANIC' "$dir/serial.log"; then kind=panic
    elif [ "$st" = 124 ]; then kind=hang      # the whole machine stopped making progress
    elif grep -aq 'sysfuzz: HANG' "$dir/serial.log"; then kind=hang
    elif grep -aq 'sysfuzz: LEAK' "$dir/serial.log"; then kind=leak
    elif [ "$st" != 0 ] || ! grep -aq 'sysfuzz: PASS' "$dir/serial.log"; then kind=fail
    fi
    local got
    got=$(sed -n 's/.* calls=\([0-9]*\) .*/\1/p' <<< "$res")
    echo "$kind ${got:-0} $st" > "$dir/verdict"
}
export -f run_one
export build calls timeout verbose root

printf '%s\n' "${seeds[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}

total=0 panics=0 hangs=0 leaks=0 fails=0
for seed in "${seeds[@]}"; do
    dir="$build/fuzz/seed-$seed-calls-$calls"
    read -r kind got st < "$dir/verdict" || { kind=fail got=0 st=?; }
    total=$((total + got))
    case "$kind" in
    pass) echo "  [$policy] seed $seed: $got calls, pass" ;;
    *)
        case "$kind" in panic) panics=$((panics + 1)) ;; hang) hangs=$((hangs + 1)) ;;
        leak) leaks=$((leaks + 1)) ;; *) fails=$((fails + 1)) ;; esac
        echo "  [$policy] seed $seed: $kind (QEMU exit $st; serial log $dir/serial.log)"
        grep -ao 'sysfuzz: \(HANG\|LEAK\).*\|.*[Pp][Aa][Nn][Ii][Cc].*' "$dir/serial.log" | head -5 | cut -c1-300 | sed 's/^/      /'
        echo "      reproduce: make fuzz-kernel POLICY=$policy SEED=$seed CALLS=$calls"
        ;;
    esac
done
echo "fuzz ($policy): ${#seeds[@]} runs, $total calls, $panics panics, $hangs hangs, $leaks leaks, $fails other failures"
[ $((panics + hangs + leaks + fails)) = 0 ]
