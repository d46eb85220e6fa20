#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The scaling experiments of `make compare` (user/bin/scalebench.c with scaleserver): round trip
# against the rights the caller holds (scale_rights.csv) and one revocation against the rights
# derived from what it revokes (revoke_fanout.csv), guest instructions, backends side by side,
# each series up to the pool or quota that stops it (named, with its size, in the header).
# Also leaves scale_<backend>.log (the runs) for compare.sh's backend cost table.
# usage: compare-scale.sh BUILD_DIR OUT_DIR COMMIT BACKEND [BACKEND ...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1; out=$2; commit=$3; shift 3
# A constant of the tree, as the source defines it (so no size here is typed by hand).
const() { sed -n "s/^#define $2 \([0-9]*\).*/\1/p" "$here/$1" | head -1; }
pool_of() { # $1 backend, $2 series: the pool or quota that bounds it
    case "$1:$2" in
    capgate:*) echo "capability slots per task: CAP_SLOTS $(const policies/capgate/policy_types.h CAP_SLOTS) (slot 0 and the task's own capabilities included)" ;;
    ports:*) echo "port names per task: PORT_NAMES $(const policies/ports/policy_types.h PORT_NAMES) (name 0 and the caller's ports included)" ;;
    refmon:*) echo "rights to distinct threads: the server's thread quota QUOTA_DEFAULT_THREADS $(const kernel/quota.h QUOTA_DEFAULT_THREADS) (a right space holds REFMON_ENTRIES $(const policies/refmon/rights.h REFMON_ENTRIES))" ;;
    *) echo "none" ;;
    esac
}
wall_of=()
: > "$out/wall_scale.csv" # "<backend>,scalebench,<host seconds>" for compare.sh
for b in "$@"; do
    d="$build/$b-notrace"
    t0=$(date +%s.%N)
    "$here/scripts/qemu-run.sh" --timeout 300 "$d/kernel.bin" "$d/user/root.elf" \
        "$d/user/scaleserver.elf" "$d/user/scalebench.elf" 2>&1 | tr -d '\r' > "$out/scale_$b.log" || true
    wall_of+=("$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')")
    echo "$b,scalebench,${wall_of[-1]}" >> "$out/wall_scale.csv"
    grep -q '^scale,done' "$out/scale_$b.log" || {
        echo "compare-scale.sh: error: the $b run did not finish; log: $out/scale_$b.log" >&2; exit 1; }
done
# One CSV: rows n (every n any backend reported), a column per backend with data, n/a elsewhere.
# $1 file, $2 series (held, fanout), $3 what n is, $4 units, $5 what each backend holds/revokes.
table() {
    local f=$1 series=$2 nname=$3 units=$4 what=$5 cols=() walls=() i=0
    for b in "${backends[@]}"; do
        if grep -q "^scale,$series," "$out/scale_$b.log"; then cols+=("$b"); walls+=("${wall_of[$i]}"); fi
        i=$((i + 1))
    done
    {
        echo "# commit $commit"
        echo "# units: $units; QEMU TCG -icount shift=0,sleep=off, IPC trace compiled out (IPC_TRACE=0)"
        echo "# $what"
        echo "# asked for: $nname 1 to $(sed -n "s/^scale,asked,$series,//p" "$out"/scale_*.log | sort -n | tail -1)"
        for b in "${backends[@]}"; do
            lim=$(sed -n "s/^scale,limit,$series,\([0-9]*\),\(.*\)/\1 (\2)/p" "$out/scale_$b.log")
            if grep -q "^scale,$series," "$out/scale_$b.log"; then
                echo "# limit $b: ${lim:-not reached within the series}; bounded by $(pool_of "$b" "$series")"
            else
                echo "# $b: n/a (no per-task rights of this kind)"
            fi
        done
        echo "# secondary, never the result: wall_s_<backend> = host seconds of that backend's whole QEMU run (boot and every series)"
        local head="$nname"
        for b in "${cols[@]}"; do head="$head,$b"; done
        [ "$series" = fanout ] && grep -q '^scale,chain,' "$out/scale_capgate.log" 2>/dev/null && head="$head,capgate_chain"
        for b in "${cols[@]}"; do head="$head,wall_s_$b"; done
        echo "$head"
        cat "$out"/scale_*.log | sed -n "s/^scale,$series,\([0-9]*\),.*/\1/p" | sort -n -u | while read -r n; do
            line="$n"
            for b in "${cols[@]}"; do
                v=$(sed -n "s/^scale,$series,$n,\([0-9]*\)$/\1/p" "$out/scale_$b.log")
                line="$line,${v:-n/a}"
            done
            if [[ $head == *capgate_chain* ]]; then
                v=$(sed -n "s/^scale,chain,$n,\([0-9]*\)$/\1/p" "$out/scale_capgate.log")
                line="$line,${v:-n/a}"
            fi
            for w in "${walls[@]}"; do line="$line,$w"; done
            echo "$line"
        done
    } > "$f"
}
backends=("$@")
table "$out/scale_rights.csv" held rights_held \
    "guest instructions per fast-path null round trip (call + reply-and-wait), best batch, while the caller holds n rights besides the one it calls through" \
    "rights held: capgate capabilities in the caller's space (name_give to itself); ports send-once rights, a name each; refmon IPC rights to the server's threads (first contact, granted by the root's monitor)"
table "$out/revoke_fanout.csv" fanout derived \
    "guest instructions of the one operation that revokes n derived rights, best of 3" \
    "revocation: capgate unmap of a gate with n derived capabilities (children; capgate_chain: a chain of n, unmapped recursively); ports the port dies (its receive right dropped) and n send-once rights become dead names; refmon one unmap takes the n rights the caller mapped on to the server"
