#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every test the project has: the host CMocka binaries given as arguments, then the QEMU
# boot tests of the built policy. Ends with one line: "N passed, N failed".
# usage: run-all.sh --build build/<policy> [--build ...] [cmocka-binary ...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
builds=()
while [ "${1:-}" = "--build" ]; do builds+=("$2"); shift 2; done
[ ${#builds[@]} -gt 0 ] || { echo "run-all.sh: error: at least one --build DIR is required" >&2; exit 2; }

pass=0 fail=0
for bin in "$@"; do
    echo "== $(basename "$bin")"
    out=$("$bin" 2>&1)
    status=$?
    echo "$out" | grep -E '^\[ *(RUN|  OK|FAILED|PASSED|ERROR|SKIPPED) *\]|^\[==========\]' \
        | grep -vE '^\[ RUN' | sed 's/^/  /'
    p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0} f=${f:-0}
    if [ "$status" != 0 ] && [ "$f" = 0 ]; then
        echo "  $(basename "$bin") exited with status $status"
        echo "$out" | tail -5 | sed 's/^/    /'
        f=1
    fi
    pass=$((pass + p)) fail=$((fail + f))
done

for build in "${builds[@]}"; do
    echo "== QEMU boot tests ($build)"
    boot_out=$("$here/boot/run.sh" --build "$build")
    echo "$boot_out"
    p=$(echo "$boot_out" | sed -n 's/^boot tests ([a-z]*): \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    f=$(echo "$boot_out" | sed -n 's/^boot tests ([a-z]*): \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    [ -n "$p" ] || { p=0; f=1; echo "  boot tests did not report a summary"; }
    pass=$((pass + p)) fail=$((fail + f))
done

echo
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
