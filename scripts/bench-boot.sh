#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot benchmark: wall time from starting QEMU to the kernel handing the CPU to the root task
# (the line printed right before its first user instruction), and the guest instructions
# executed until then (BIOS included). Prints CSV; RUNS=n repeats (default 3).
# usage: bench-boot.sh KERNEL.bin ROOT.elf [MODULE.elf ...]
set -euo pipefail
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
echo "run,wall_ms_to_root_task,guest_instructions_to_root_task,wall_ms_total"
for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    boot_ns="" instr=""
    while IFS= read -r line; do
        if [ -z "$boot_ns" ] && [[ "$line" == *"boot took "* ]]; then
            boot_ns=$(( $(date +%s%N) - start ))
            instr=$(echo "$line" | sed -n 's/.*boot took \([0-9]*\) instructions.*/\1/p')
        fi
    done < <("$here/qemu-run.sh" --timeout 60 "$@" 2>&1)
    end=$(( $(date +%s%N) - start ))
    [ -n "$boot_ns" ] || { echo "bench-boot.sh: error: the kernel never reached the root task" >&2; exit 1; }
    echo "$i,$((boot_ns / 1000000)),$instr,$((end / 1000000))"
done
