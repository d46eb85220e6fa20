#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make compare`: every backend's IPC costs in one run, one CSV per experiment (guest instructions
# under -icount shift=0, trace compiled out) plus gnuplot plots, backends side by side.
# usage: compare.sh BUILD_DIR OUT_DIR BACKEND [BACKEND ...]   (each built in BUILD_DIR/<b>-notrace)
# Hook: a backend may ship bench/<backend>.sh (called as `bench/<b>.sh BUILD_DIR/<b>-notrace`,
# printing "bench,<case>,<instructions>" lines); its figures land in OUT_DIR/backend_<b>.csv.
# COMPARE_LINUX=0 skips the Linux anchor (pipe, UNIX socket, futex in the same QEMU).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1; out=$2; shift 2
mkdir -p "$out"
commit=$(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$here" status --porcelain 2>/dev/null | grep -q . && echo "+dirty" || true)
header() { # $1: what the numbers are; $2: how they were built
    echo "# commit $commit$dirty"
    echo "# units: $1; QEMU TCG -icount shift=0,sleep=off, ${2:-IPC trace compiled out (IPC_TRACE=0)}"
}
notrace=(); for b in "$@"; do notrace+=("$b-notrace"); done
raw="$out/raw_ipc.csv"
"$here/scripts/bench-ipc.sh" "$build" "${notrace[@]}" > "$raw"
cols=$(head -1 "$raw")
# Experiment 1: round trip vs message words, fast and general path.
{
    header "guest instructions per round trip (call + reply-and-wait), best batch"
    echo "words,path,${cols#case,}"
    for path in fast general; do
        sfx=""; [ $path = general ] && sfx="_general_path"
        for w in 0 1 4 8 64; do
            row=$(grep "^ipc_call_${w}_words$sfx," "$raw" || true)
            [ -n "$row" ] && echo "$w,$path,${row#*,}"
        done
    done
} > "$out/ipc_words.csv"
# Experiment 2: the items (4 KiB string, map + unmap of one page) and the IDL stub.
{
    header "guest instructions per round trip, best batch"
    echo "$cols"
    grep -E "^(ipc_call_0_words|ipc_call_4KiB_string|ipc_call_map_1_page_then_unmap|idl_null_rpc)(_general_path)?," "$raw"
} > "$out/ipc_items.csv"
# Experiment 3: round trip vs tasks in the system. N idle tasks (bystander: asleep for 250 ms of
# guest time, i.e. through the whole measurement) are booted before the measured pair; the pair
# and its names stay the same. Bounded by the boot modules (BOOT_MAX_MODULES 24: root + N + 2).
{
    header "guest instructions per fast-path null round trip; tasks = root + N idle + server + client"
    echo "tasks,$(IFS=,; echo "$*")"
    for n in ${COMPARE_TASKS:-0 1 2 4 8 12 16 21}; do
        line="$((n + 3))"
        for b in "$@"; do
            d="$build/$b-notrace"; idle=()
            for _ in $(seq 1 "$n"); do idle+=("$d/user/bystander.elf"); done
            v=$("$here/scripts/qemu-run.sh" --timeout 120 "$d/kernel.bin" "$d/user/root.elf" "${idle[@]}" \
                "$d/user/pingserver.elf" "$d/user/pingclient.elf" 2>&1 | tr -d '\r' \
                | sed -n 's/^bench,ipc_call_0_words,\([0-9]*\).*/\1/p')
            [ -n "$v" ] || { echo "compare.sh: error: no figure from $b with $n idle tasks" >&2; exit 1; }
            line="$line,$v"
        done
        echo "$line"
    done
} > "$out/scale_tasks.csv"
# Backend hooks.
for b in "$@"; do
    [ -x "$here/bench/$b.sh" ] || continue
    { header "guest instructions (see bench/$b.sh)"; echo "case,instructions"
      "$here/bench/$b.sh" "$build/$b-notrace" | sed -n 's/^bench,\([^,]*\),\([0-9]*\).*/\1,\2/p'; } \
        > "$out/backend_$b.csv"
done
# The Linux anchor, same QEMU, same counting.
if [ "${COMPARE_LINUX:-1}" != 0 ]; then
    if lin=$("$here/scripts/bench-linux.sh" "$build"); then
        { header "guest instructions per round trip (Linux, bench/linux/ipcbench.c)" "Debian's cloud kernel"
          echo "case,instructions"; echo "$lin"; } > "$out/linux.csv"
    else
        echo "compare.sh: warning: the Linux anchor failed; plots go without it" >&2
    fi
fi
# The fast path's per-phase breakdown (single-stepped under gdb; bench/fastpath.md).
{ header "guest instructions per phase of one fast-path null round trip"
  "$here/scripts/bench-breakdown.sh" "$build" "${notrace[@]}" | sed 's/-notrace,/,/'; } > "$out/breakdown.csv"
"$here/scripts/compare-plot.sh" "$out" "$@"
echo "compare: CSVs and plots in $out"
