#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# QEMU boot tests. Each tests/boot/<name>/ holds test.conf (description, modules, optional
# kernel options, the expected QEMU exit status) and expect: substrings that must appear in
# the serial output in this order; a line starting with '!' must appear nowhere.
# Optionally expect-trace: the same for the IPC trace the kernel writes to COM2; either file
# may have a .<policy> variant that wins for that backend.
# usage: run.sh --build build/<policy> [-j N] [--append OPTS] [name ...]
#   --append OPTS: kernel options added to every test's own (e.g. nofastpath: the general path)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="" jobs=2 extra=""
names=()
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --append) extra=$2; shift 2 ;;
    -h|--help) sed -n '3,9p' "$0"; exit 0 ;;
    *) names+=("$1"); shift ;;
    esac
done
[ -n "$build" ] || { echo "run.sh: error: --build DIR is required" >&2; exit 2; }
if [ ${#names[@]} -eq 0 ]; then
    for d in "$here"/*/; do [ -f "$d/test.conf" ] && names+=("$(basename "$d")"); done
fi
logdir="$build/boot-tests"
policy=$(basename "$build")
mkdir -p "$logdir"

conf() { sed -n "s/^$2: *//p" "$here/$1/test.conf"; }

# Runs one test; writes PASS/FAIL lines to $logdir/<name>.result
run_one() {
    local name=$1 log="$logdir/$1.log" res="$logdir/$1.result"
    if [ ! -f "$here/$name/test.conf" ]; then
        echo "FAIL $name: no such boot test" > "$res"; return
    fi
    # A test may be limited to some backends ("policies: none capgate").
    local only
    only=$(conf "$name" policies)
    if [ -n "$only" ] && [[ " $only " != *" $policy "* ]]; then
        echo "SKIP $name: not for backend $policy" > "$res"; return
    fi
    local mods=() m
    # a module is a program (build/<policy>/user/M.elf) or a data file in the test's folder
    for m in $(conf "$name" modules); do
        if [ -f "$here/$name/$m" ]; then mods+=("$here/$name/$m"); else mods+=("$build/user/$m.elf"); fi
    done
    local want timeout
    want=$(conf "$name" exit); timeout=$(conf "$name" timeout); timeout=${timeout:-60}
    local trace="$logdir/$name.trace"
    rm -f "$trace"
    "$root/scripts/qemu-run.sh" --timeout "$timeout" --append "$(conf "$name" append)${extra:+ $extra}" \
        --trace "$trace" "$build/kernel.bin" "${mods[@]}" > "$log" 2>&1 < /dev/null
    local got=$?
    local why=""
    [ "$got" = "$want" ] || why="QEMU exit status $got, expected $want"
    # A backend may expect different output (labels, names): expect.<policy> wins.
    local expect="$here/$name/expect"
    [ -f "$expect.$policy" ] && expect="$expect.$policy"
    if [ -z "$why" ]; then
        # a check that cannot run (no expect file, a crash) fails the test, never passes it
        why=$(python3 "$here/match.py" "$log" "$expect" 2>&1) || why=${why:-"the expectation check failed"}
    fi
    # The kernel's IPC trace (COM2) is checked the same way against expect-trace[.<policy>].
    local etrace="$here/$name/expect-trace"
    [ -f "$etrace.$policy" ] && etrace="$etrace.$policy"
    if [ -z "$why" ] && [ -f "$etrace" ]; then
        why=$(python3 "$here/match.py" "$trace" "$etrace" 2>&1) || why=${why:-"the trace check failed"}
        [ -z "$why" ] || why="trace: $why (trace: $trace)"
    fi
    if [ -z "$why" ]; then
        echo "PASS $name: $(conf "$name" description)" > "$res"
    else
        echo "FAIL $name: $why (serial log: $log)" > "$res"
    fi
}
export -f run_one conf
export here root build logdir policy extra

printf '%s\n' "${names[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}

pass=0 fail=0 skip=0
for n in "${names[@]}"; do
    r=$(cat "$logdir/$n.result" 2>/dev/null || echo "FAIL $n: did not run")
    echo "  [$policy] $r"
    case "$r" in PASS*) pass=$((pass + 1)) ;; SKIP*) skip=$((skip + 1)) ;; *) fail=$((fail + 1)) ;; esac
done
echo "boot tests ($policy): $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
