#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make compare`: every backend's IPC costs in one run, one CSV per experiment (guest instructions
# under -icount shift=0, trace compiled out) plus gnuplot plots, backends side by side.
# usage: compare.sh BUILD_DIR OUT_DIR BACKEND [BACKEND ...]   (each built in BUILD_DIR/<b>-notrace)
# Hook: a backend may ship bench/<backend>.sh (called as `bench/<b>.sh BUILD_DIR/<b>-notrace`,
# printing "bench,<case>,<instructions>" lines); its figures land in OUT_DIR/backend_<b>.csv.
# COMPARE_LINUX=0 skips the Linux anchor (pipe, UNIX socket, futex in the same QEMU).
# Every CSV also has wall_s columns: host seconds of the QEMU run that produced the row. They are
# a secondary figure (TCG on a shared host: they vary from run to run), never the result.
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
WALL_NOTE="# secondary, never the result: wall_s_<backend> = host seconds of the QEMU run (boot included) that produced the row"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# The wall columns of a row: $1 = the run (fast, general, clanbench), from $wall_ipc.
wall_cols() {
    local line="" b
    for b in "${backends[@]}"; do
        line="$line,$(sed -n "s/^$b,$1,//p" "$wall_ipc" | head -1)"
    done
    echo "$line"
}
backends=("$@")
wall_head=""; for b in "$@"; do wall_head="$wall_head,wall_s_$b"; done
notrace=(); for b in "$@"; do notrace+=("$b-notrace"); done
raw="$out/raw_ipc.csv"
wall_ipc="$out/wall_ipc.csv"
: > "$wall_ipc"
BENCH_WALL="$wall_ipc" "$here/scripts/bench-ipc.sh" "$build" "${notrace[@]}" > "$raw"
cols=$(head -1 "$raw")
# Experiment 1: round trip vs message words, fast and general path.
{
    header "guest instructions per round trip (call + reply-and-wait), best batch"
    echo "$WALL_NOTE"
    echo "words,path,${cols#case,}$wall_head"
    for path in fast general; do
        sfx=""; [ $path = general ] && sfx="_general_path"
        for w in 0 1 4 8 64; do
            row=$(grep "^ipc_call_${w}_words$sfx," "$raw" || true)
            [ -n "$row" ] && echo "$w,$path,${row#*,}$(wall_cols $path)"
        done
    done
} > "$out/ipc_words.csv"
# Experiment 2: the items (4 KiB string, map + unmap of one page) and the IDL stub.
{
    header "guest instructions per round trip, best batch"
    echo "$WALL_NOTE"
    echo "$cols$wall_head"
    grep -E "^(ipc_call_0_words|ipc_call_4KiB_string|ipc_call_map_1_page_then_unmap|idl_null_rpc)(_general_path)?," "$raw" \
        | while read -r row; do
            run=fast; [[ ${row%%,*} == *_general_path ]] && run=general
            echo "$row$(wall_cols $run)"
        done
} > "$out/ipc_items.csv"
# Experiment 3: round trip vs tasks in the system. N idle tasks (bystander: asleep for 250 ms of
# guest time, i.e. through the whole measurement) are booted before the measured pair; the pair
# and its names stay the same. Bounded by the boot modules (BOOT_MAX_MODULES 24: root + N + 2).
{
    header "guest instructions per fast-path null round trip; tasks = root + N idle + server + client"
    echo "$WALL_NOTE"
    echo "tasks,$(IFS=,; echo "$*")$wall_head"
    for n in ${COMPARE_TASKS:-0 1 2 4 8 12 16 21}; do
        line="$((n + 3))" walls=""
        for b in "$@"; do
            d="$build/$b-notrace"; idle=()
            for _ in $(seq 1 "$n"); do idle+=("$d/user/bystander.elf"); done
            t0=$(now)
            v=$("$here/scripts/qemu-run.sh" --timeout 120 "$d/kernel.bin" "$d/user/root.elf" "${idle[@]}" \
                "$d/user/pingserver.elf" "$d/user/pingclient.elf" 2>&1 | tr -d '\r' \
                | sed -n 's/^bench,ipc_call_0_words,\([0-9]*\).*/\1/p')
            [ -n "$v" ] || { echo "compare.sh: error: no figure from $b with $n idle tasks" >&2; exit 1; }
            line="$line,$v" walls="$walls,$(since "$t0")"
        done
        echo "$line$walls"
    done
} > "$out/scale_tasks.csv"
# Experiments 4 and 5: round trip vs rights held, revocation vs derived rights (scalebench).
"$here/scripts/compare-scale.sh" "$build" "$out" "$commit$dirty" "$@"
# Experiment 6: each backend's own costs (the rows of raw_ipc.csv and scalebench that belong to
# it, with the plain call beside them): backend,case,instructions,run,wall_s.
{
    header "guest instructions per operation (round trip where the case says so), best batch"
    echo "# the cases of each backend (scripts/compare.sh); run: the QEMU run that measured it"
    echo "# secondary, never the result: wall_s = host seconds of that run (boot included)"
    echo "backend,case,instructions,run,wall_s"
    for b in "$@"; do
        case $b in
        none) cases="ipc_call_0_words" ;;
        clans) cases="ipc_call_0_words clans_intra_clan_null_rt clans_one_chief_null_rt clans_two_chiefs_null_rt" ;;
        ports) cases="ipc_call_1_words queued_send_then_receive_1_words ipc_call_8_words queued_send_then_receive_8_words ipc_call_64_words queued_send_then_receive_64_words ipc_call_copy_send_right queued_send_copy_send_right_then_receive scale:fanout:1" ;;
        refmon) cases="ipc_call_0_words refmon_first_contact refmon_revoke_then_recontact ipc_call_0_words_general_path scale:fanout:1" ;;
        capgate) cases="ipc_call_0_words capgate_name_give_derive capgate_name_drop_derived ipc_call_map_1_page_then_unmap capgate_call_delegating_gate_then_unmap scale:fanout:1" ;;
        *) cases="ipc_call_0_words" ;;
        esac
        col=$(head -1 "$raw" | tr ',' '\n' | grep -n -x "$b" | cut -d: -f1)
        for c in $cases; do
            if [[ $c == scale:* ]]; then
                IFS=: read -r _ series n <<< "$c"
                v=$(sed -n "s/^scale,$series,$n,\([0-9]*\)$/\1/p" "$out/scale_$b.log")
                name="revoke_${series}_$n"
                run=scalebench
                w=$(sed -n "s/^$b,scalebench,//p" "$out/wall_scale.csv")
            else
                v=$(grep "^$c," "$raw" | cut -d, -f"$col" || true)
                name=$c
                run=fast; [[ $c == *_general_path ]] && run=general; [[ $c == clans_* ]] && run=clanbench
                [[ $c == capgate_* ]] && run=scalebench
                w=$(sed -n "s/^$b,$run,//p" "$wall_ipc" "$out/wall_scale.csv" | head -1)
                if [[ $c == capgate_* ]]; then
                    v=$(sed -n "s/^bench,$c,\([0-9]*\)$/\1/p" "$out/scale_$b.log")
                fi
            fi
            echo "$b,$name,${v:-n/a},$run,${w:-n/a}"
        done
    done
} > "$out/backend_costs.csv"
# Backend hooks.
for b in "$@"; do
    [ -x "$here/bench/$b.sh" ] || continue
    t0=$(now)
    { header "guest instructions (see bench/$b.sh)"
      echo "# secondary, never the result: wall_s = host seconds of the whole hook run"
      "$here/bench/$b.sh" "$build/$b-notrace" | sed -n 's/^bench,\([^,]*\),\([0-9]*\).*/\1,\2/p' > "$out/.hook"
      echo "case,instructions,wall_s"; w=$(since "$t0"); sed "s/\$/,$w/" "$out/.hook"; } \
        > "$out/backend_$b.csv"
    rm -f "$out/.hook"
done
# The Linux anchor, same QEMU, same counting.
if [ "${COMPARE_LINUX:-1}" != 0 ]; then
    t0=$(now)
    if lin=$("$here/scripts/bench-linux.sh" "$build"); then
        w=$(since "$t0")
        { header "guest instructions per round trip (Linux, bench/linux/ipcbench.c)" "Debian's cloud kernel"
          echo "# secondary, never the result: wall_s = host seconds of the whole Linux run (boot included)"
          echo "case,instructions,wall_s"; echo "$lin" | sed "s/\$/,$w/"; } > "$out/linux.csv"
    else
        echo "compare.sh: warning: the Linux anchor failed; plots go without it" >&2
    fi
fi
# The fast path's per-phase breakdown (single-stepped under gdb; bench/fastpath.md).
{ header "guest instructions per phase of one fast-path null round trip"
  echo "# secondary, never the result: wall_s = host seconds of that backend's single-stepped run (gdb)"
  echo "backend,phase,instructions,wall_s"
  for b in "${notrace[@]}"; do
      t0=$(now)
      "$here/scripts/bench-breakdown.sh" "$build" "$b" | sed '1d; s/-notrace,/,/' > "$out/.bd"
      w=$(since "$t0"); sed "s/\$/,$w/" "$out/.bd"
  done; rm -f "$out/.bd"; } > "$out/breakdown.csv"
"$here/scripts/compare-plot.sh" "$out" "$@"
echo "compare: CSVs and plots in $out"
