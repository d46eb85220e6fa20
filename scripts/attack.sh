#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs one attack scenario under one backend: derives the setup from the declaration (ipcan
# setup), builds the image (the scenario loader as root, one module per declared task, named
# after the task, the setup as a data module), boots it in QEMU, collects the serial output
# and the kernel's IPC trace (COM2), and has the analyzer compare the run with the
# declaration. The verdict is the analyzer's, read from the trace; the programs' own claims
# are not consulted.
# usage: attack.sh [--quiet] [--progress TOTAL] [--build DIR] [--out DIR] SCENARIO POLICY
# --progress: one line "[k/TOTAL] scenario backend verdict" when done, k counted across
# parallel runs sharing the parent of the parent of --out.
# Expects the kernel and programs in DIR (default build/POLICY) and build/host/analyzer/ipcan.
# Writes build/attacks/SCENARIO/POLICY/ (or --out DIR): setup, serial.log, trace.txt, report.txt, report.json, evidence, result, and ipc_counts where the analyzer predicts a cost.
# Exit status: 0 the observed verdict is the declared one and the kernel delivered nothing the
# derived setup forbids, 1 otherwise (a wrong verdict, or observed-not-permitted: the kernel
# and the analyzer's model of the backend disagree), 2 the run failed.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
quiet=0 build="" out="" progress=""
while [ $# -gt 0 ]; do
    case "$1" in
    --quiet) quiet=1; shift ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --progress) progress=$2; shift 2 ;;
    -h|--help) sed -n '3,14p' "$0"; exit 0 ;;
    -*) echo "attack.sh: error: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -eq 2 ] || { echo "usage: attack.sh [--quiet] [--build DIR] SCENARIO POLICY" >&2; exit 2; }
scn_name=$1 policy=$2
build=${build:-$here/build/$policy}
ipcan=${IPCAN:-$here/build/host/analyzer/ipcan}
decl=$(ls "$here"/scenarios/*/"$scn_name".scn 2>/dev/null | head -1)
if [ -z "$decl" ]; then
    echo "attack.sh: error: no scenario '$scn_name' (scenarios/*/$scn_name.scn); known:" \
        $(cd "$here/scenarios" && ls */*.scn | sed 's|.*/||; s|\.scn$||') >&2
    exit 2
fi
out=${out:-$here/build/attacks/$scn_name/$policy}
mkdir -p "$out/modules"
rm -f "$out"/modules/* "$out/result"
say() { [ "$quiet" = 1 ] || echo "$@"; }
# With --progress: whatever the outcome, one counted line (runs in parallel share the counter).
report_progress() {
    [ -n "$progress" ] || return 0
    local root
    root=$(dirname "$(dirname "$out")")
    (
        flock 9
        local n=$(($(cat "$root/.done" 2>/dev/null || echo 0) + 1))
        echo "$n" > "$root/.done"
        printf '  [%2d/%d] %-16s %-8s %s\n' "$n" "$progress" "$scn_name" "$policy" \
            "$(cut -d' ' -f4- "$out/result" 2>/dev/null || echo 'no result')"
    ) 9> "$root/.progress"
}
trap report_progress EXIT
die() {
    echo "attack.sh: $scn_name/$policy: $*" >&2
    printf '%s %s %s %s %s\n' "$scn_name" "$policy" "$(expected)" error "$*" > "$out/result"
    exit 2
}
expected() { sed -n "s/^expect .*\b$policy=\([a-z/]*\).*/\1/p" "$decl" | head -1; }

[ -x "$ipcan" ] || die "the analyzer is not built ($ipcan); run 'make analyzer'"
[ -f "$build/kernel.bin" ] || die "no kernel in $build; run 'make POLICY=$policy'"

# 1. The setup, derived from the declaration by the analyzer.
"$ipcan" setup -p "$policy" "$decl" > "$out/setup" 2> "$out/setup.err" ||
    die "ipcan setup failed: $(head -3 "$out/setup.err")"

# 2. The image: the loader as the declared root, one module per task named after the task.
mods=()
while read -r kw name program parent _; do
    [ "$kw" = task ] || continue
    if [ "$parent" = - ]; then
        cp "$build/user/scnroot.elf" "$out/modules/$name.elf" || die "no loader (scnroot.elf)"
        mods=("$out/modules/$name.elf" "${mods[@]}")
        continue
    fi
    [ -f "$build/user/$program.elf" ] ||
        die "task '$name' runs program '$program', which does not exist (no $program.c in scenarios/ or monitor/)"
    cp "$build/user/$program.elf" "$out/modules/$name.elf"
    mods+=("$out/modules/$name.elf")
done < "$out/setup"
if grep -qx 'naming flat' "$out/setup" && [ -f "$build/user/nameserv.elf" ]; then
    cp "$build/user/nameserv.elf" "$out/modules/nameserv.elf"
    mods+=("$out/modules/nameserv.elf")
fi
# Backend refmon: the reference monitor the loader starts and makes every task's monitor.
if grep -qx 'policy refmon' "$out/setup" && [ -f "$build/user/refmon.elf" ]; then
    cp "$build/user/refmon.elf" "$out/modules/refmon.elf"
    mods+=("$out/modules/refmon.elf")
fi
cp "$out/setup" "$out/modules/setup"
mods+=("$out/modules/setup")

# 3. The run.
say "== $scn_name under $policy: booting ${#mods[@]} modules"
"$here/scripts/qemu-run.sh" --timeout 120 --trace "$out/trace.txt" "$build/kernel.bin" \
    "${mods[@]}" > "$out/serial.log" 2>&1 < /dev/null
status=$?
[ "$status" = 0 ] || die "QEMU exit status $status (see $out/serial.log)"
[ -s "$out/trace.txt" ] || die "no IPC trace (built with IPC_TRACE=0?)"

# 4. The verdict, from the trace.
"$ipcan" report --no-z3 -p "$policy" -t "$out/trace.txt" "$decl" > "$out/report.txt" 2>&1
"$ipcan" report --no-z3 --json -p "$policy" -t "$out/trace.txt" "$decl" > "$out/report.json" 2>/dev/null
observed=$(python3 "$here/scripts/attack_verdict.py" "$out/report.json" "$policy") ||
    die "cannot read the analyzer's verdict (see $out/report.txt)"
want=$(expected)
verdict=${observed%%$'\t'*}
# Observed but not permitted: the kernel delivered what the derived setup forbids, so either
# the backend or the analyzer's model of it is wrong, whatever the verdict says.
unsound=$(python3 "$here/scripts/attack_verdict.py" --unsound "$out/report.json" "$policy") ||
    die "cannot read the analyzer's findings (see $out/report.txt)"
if [ -n "$unsound" ]; then ok=UNSOUND
elif [ "$verdict" = "$want" ]; then ok=ok
else ok=UNEXPECTED; fi
{ printf '%s\n' "${observed#*$'\t'}"; [ -z "$unsound" ] || printf '%s\n' "$unsound"; } > "$out/evidence"
# 5. Where the analyzer predicts what a message costs (clans: one IPC per chief on the way),
# the counts the trace shows beside the prediction (scripts/ipc_counts.py; not the verdict).
rm -f "$out/ipc_counts"
if grep -q '^ *cost: channel' "$out/report.txt"; then
    python3 "$here/scripts/ipc_counts.py" --trace "$out/trace.txt" --report "$out/report.txt" \
        --json "$out/report.json" > "$out/ipc_counts" 2>&1
fi
printf '%s %s %s %s %s\n' "$scn_name" "$policy" "$want" "$verdict" "$ok" > "$out/result"
if [ "$quiet" = 0 ]; then
    echo "verdict: $verdict (declared: $want) $([ $ok = ok ] || echo "<-- $ok")"
    printf '%s\n' "${observed#*$'\t'}"
    [ -z "$unsound" ] || printf '%s\n' "$unsound"
    if grep -q '^\[record\]' "$out/serial.log"; then
        echo "the tasks' own records (what they saw; not the verdict):"
        grep '^\[record\]' "$out/serial.log" | head -12 | sed 's/^\[record\] /  /'
    fi
    [ -s "$out/ipc_counts" ] && sed 's/^/  /' "$out/ipc_counts"
    echo "files: $out/{setup,serial.log,trace.txt,report.txt}"
fi
[ "$ok" = ok ]
