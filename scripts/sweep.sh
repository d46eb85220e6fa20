#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One boot of the authority sweep: the setup ipcan derives for a scenario under a backend, with
# the sweeper (scenarios/common/sweeper.c) in place of every declared task's program (the
# declared root stays the scenario loader), then the kernel-observed reachability (the trace)
# compared with `ipcan permitted` in both directions (scripts/sweep_compare.py).
# usage: sweep.sh [--build DIR] [--out DIR] [--quiet] [--model FILE.scn] SCENARIO|FILE.scn POLICY
# --model: the permitted relation from another declaration than the one booted (a broken model,
# for the test that shows the sweep fails: tests/scripts/test_sweep.py).
# Writes OUT (default build/sweep/NAME/POLICY): setup, serial.log, trace.txt, permitted.txt,
# result (one table row), mismatches. Exit 0: the sweep matches the model; 1: a mismatch;
# 2: the run failed.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="" out="" quiet=0 model=""
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quiet) quiet=1; shift ;;
    --model) model=$2; shift 2 ;;
    -h|--help) sed -n '3,12p' "$0"; exit 0 ;;
    -*) echo "sweep.sh: error: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -eq 2 ] || { echo "usage: sweep.sh [--build DIR] [--out DIR] SCENARIO POLICY" >&2; exit 2; }
scn=$1 policy=$2
if [ -f "$scn" ]; then decl=$scn; else decl=$(ls "$here"/scenarios/*/"$scn".scn 2>/dev/null | head -1); fi
[ -n "$decl" ] || { echo "sweep.sh: error: no scenario '$scn'" >&2; exit 2; }
name=$(basename "$decl" .scn)
build=${build:-$here/build/$policy}
ipcan=${IPCAN:-$here/build/host/analyzer/ipcan}
out=${out:-$here/build/sweep/$name/$policy}
mkdir -p "$out/modules"
rm -f "$out"/modules/* "$out/result" "$out/trace.txt"
die() {
    echo "sweep.sh: $name/$policy: $*" >&2
    printf '%s\t%s\terror\t%s\n' "$name" "$policy" "$*" > "$out/result"
    exit 2
}
[ -x "$ipcan" ] || die "the analyzer is not built ($ipcan); run 'make analyzer'"
[ -f "$build/kernel.bin" ] || die "no kernel in $build; run 'make POLICY=$policy'"
[ -f "$build/user/sweeper.elf" ] || die "no sweeper in $build; run 'make POLICY=$policy'"
"$ipcan" setup -p "$policy" "$decl" > "$out/setup" 2> "$out/setup.err" ||
    die "ipcan setup failed: $(head -3 "$out/setup.err")"
"$ipcan" permitted --max 0 -p "$policy" "${model:-$decl}" > "$out/permitted.txt" 2> "$out/permitted.err"
[ $? -le 1 ] || die "ipcan permitted failed: $(head -3 "$out/permitted.err")"

# The image: the loader as the declared root, the sweeper under every other task's name.
mods=()
while read -r kw tname _ parent _; do
    [ "$kw" = task ] || continue
    if [ "$parent" = - ]; then
        cp "$build/user/scnroot.elf" "$out/modules/$tname.elf" || die "no loader (scnroot.elf)"
        mods=("$out/modules/$tname.elf" "${mods[@]}")
    else
        cp "$build/user/sweeper.elf" "$out/modules/$tname.elf"
        mods+=("$out/modules/$tname.elf")
    fi
done < "$out/setup"
for infra in nameserv refmon; do
    [ "$infra" = nameserv ] && ! grep -qx 'naming flat' "$out/setup" && continue
    [ "$infra" = refmon ] && ! grep -qx 'policy refmon' "$out/setup" && continue
    if [ -f "$build/user/$infra.elf" ]; then
        cp "$build/user/$infra.elf" "$out/modules/$infra.elf"
        mods+=("$out/modules/$infra.elf")
    fi
done
cp "$out/setup" "$out/modules/setup"
mods+=("$out/modules/setup")
[ "${#mods[@]}" -le 24 ] || die "${#mods[@]} boot modules (the kernel takes 24)"

"$here/scripts/qemu-run.sh" --timeout 120 --trace "$out/trace.txt" "$build/kernel.bin" \
    "${mods[@]}" > "$out/serial.log" 2>&1 < /dev/null
status=$?
[ "$status" = 0 ] || die "QEMU exit status $status (see $out/serial.log)"
[ -s "$out/trace.txt" ] || die "no IPC trace (built with IPC_TRACE=0?)"
args=()
[ "$quiet" = 1 ] && args+=(--quiet)
setups=$(grep -c '^# setup g' "$decl")
python3 "$here/scripts/sweep_compare.py" "${args[@]}" --name "$name" --policy "$policy" \
    --setups "$((setups > 0 ? setups : 1))" \
    --setup "$out/setup" --permitted "$out/permitted.txt" --trace "$out/trace.txt" \
    --result "$out/result"
