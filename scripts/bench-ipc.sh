#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# IPC benchmark: boots pingserver + pingclient (and clanbench: clans & chiefs) for each built
# backend and prints one CSV table, guest instructions per round trip (call + reply-and-wait), a
# column per backend.
# usage: bench-ipc.sh BUILD_DIR POLICY [POLICY ...]
# BENCH_WALL=FILE appends "<policy>,<run>,<host seconds>" per QEMU run (run: fast, general,
# clanbench): wall time, a secondary figure next to the instruction counts, never the result.
set -euo pipefail
wall() { # $1 policy, $2 run, $3 start (date +%s.%N): one line to $BENCH_WALL
    [ -n "${BENCH_WALL:-}" ] || return 0
    awk -v a="$3" -v b="$(date +%s.%N)" -v p="$1" -v r="$2" 'BEGIN { printf "%s,%s,%.2f\n", p, r, b - a }' \
        >> "$BENCH_WALL"
}
here=$(cd "$(dirname "$0")" && pwd)
build=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in "$@"; do
    d="$build/$p"
    : > "$tmp/$p.csv"
    # Once as built, once with the fast path off (the general path alone).
    for mode in fast general; do
        append=""; suffix=""
        [ "$mode" = general ] && { append="nofastpath"; suffix="_general_path"; }
        t0=$(date +%s.%N)
        "$here/qemu-run.sh" --timeout 120 --append "$append" "$d/kernel.bin" "$d/user/root.elf" \
            "$d/user/pingserver.elf" "$d/user/pingclient.elf" > "$tmp/$p.log" 2>&1 || {
            echo "bench-ipc.sh: error: the $p run failed; log:" >&2; cat "$tmp/$p.log" >&2; exit 1; }
        wall "${p%-notrace}" "$mode" "$t0"
        sed -n "s/^bench,\([^,]*\),\([0-9]*\).*/\1$suffix,\2/p" "$tmp/$p.log" | tr -d '\r' \
            | grep -v "^rdtsc_overhead_general_path," >> "$tmp/$p.csv"
    done
    # Clans & chiefs (user/bin/clanbench): null round trips inside a clan, through one chief and
    # through two (real chief threads forwarding); backends that do not redirect call directly.
    if [ -f "$d/user/clanbench.elf" ]; then
        t0=$(date +%s.%N)
        "$here/qemu-run.sh" --timeout 120 "$d/kernel.bin" "$d/user/root.elf" \
            "$d/user/clanbench.elf" > "$tmp/$p.log" 2>&1 || {
            echo "bench-ipc.sh: error: the $p clanbench run failed; log:" >&2; cat "$tmp/$p.log" >&2
            exit 1; }
        wall "${p%-notrace}" clanbench "$t0"
        sed -n "s/^bench,\(clans_[^,]*\),\([0-9-]*\).*/\1,\2/p" "$tmp/$p.log" | tr -d '\r' \
            >> "$tmp/$p.csv"
    fi
    [ -s "$tmp/$p.csv" ] || { echo "bench-ipc.sh: error: no figures from $p" >&2; exit 1; }
done
header="case"
for p in "$@"; do
    case "$p" in
    *-notrace) header="$header,${p%-notrace}" ;;
    *) header="$header,$p+trace" ;;
    esac
done
echo "$header"
# every case any backend reported, in order of first appearance; n/a where one has none
for p in "$@"; do cut -d, -f1 "$tmp/$p.csv"; done | awk '!seen[$0]++' | while read -r c; do
    line="$c"
    for p in "$@"; do
        v=$(grep "^$c," "$tmp/$p.csv" | cut -d, -f2 || true)
        line="$line,${v:-n/a}"
    done
    echo "$line"
done
