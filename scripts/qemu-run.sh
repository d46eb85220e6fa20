#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots the kernel with boot modules in QEMU (TCG, -icount shift=0: one TSC tick per
# instruction, reproducible runs). The first module is the root task.
# Exit status: QEMU's own (0 = clean power-off, 2*code+1 = the kernel's failure code,
# 255 = kernel panic), or 124 if the run did not end within --timeout seconds.
set -euo pipefail

usage() {
    cat <<USAGE
usage: qemu-run.sh [--timeout SECONDS] [--append "kernel options"] [--log FILE] [--trace FILE] [--debug]
                   KERNEL.bin ROOT.elf [MODULE.elf ...]
USAGE
}

timeout=60 append="" log="" trace="" debug=0
while [ $# -gt 0 ]; do
    case "$1" in
    --timeout) timeout=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --trace) trace=$2; shift 2 ;;   # the kernel's IPC trace (COM2) goes to this file
    --debug) debug=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --*) echo "qemu-run.sh: error: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -ge 2 ] || { echo "qemu-run.sh: error: need a kernel and at least the root module" >&2; usage >&2; exit 2; }
kernel=$1; shift
for f in "$kernel" "$@"; do
    [ -f "$f" ] || { echo "qemu-run.sh: error: no such file: $f (run make first)" >&2; exit 2; }
done
modules=$(IFS=,; echo "$*")

args=(-accel tcg -icount shift=0,sleep=off -m 128M -no-reboot -display none -monitor none
      -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -kernel "$kernel" -initrd "$modules")
[ -n "$append" ] && args+=(-append "$append")
if [ -n "$trace" ]; then args+=(-serial "file:$trace"); fi
[ "$debug" = 1 ] && args+=(-s -S)

run() {
    if [ "$timeout" = 0 ]; then
        qemu-system-x86_64 "${args[@]}"
    else
        timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${args[@]}"
    fi
}

set +e
if [ -n "$log" ]; then
    run </dev/null | tee "$log"
    status=${PIPESTATUS[0]}
else
    run </dev/null
    status=$?
fi
set -e
[ "$status" = 124 ] && echo "qemu-run.sh: no power-off within ${timeout}s; QEMU stopped" >&2
exit "$status"
