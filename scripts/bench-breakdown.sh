#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Per-phase breakdown of one fast-path null round trip (call + reply-and-wait) per backend:
# QEMU's gdb stub single-steps one whole round trip of pingclient/pingserver (after warm-up),
# and every instruction is attributed to a phase through the kernel's DWARF line table.
# usage: bench-breakdown.sh BUILD_DIR BACKEND-DIR [BACKEND-DIR ...]   (e.g. build none-notrace)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1; shift
command -v gdb >/dev/null || { echo "bench-breakdown.sh: gdb is missing (scripts/install-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill $(jobs -p) 2>/dev/null || true' EXIT
port=$((20000 + RANDOM % 20000))
echo "backend,phase,instructions"
for p in "$@"; do
    d="$build/$p"
    qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -m 128M -no-reboot -display none \
        -monitor none -serial null -gdb tcp::$port -S -kernel "$d/kernel.bin" ${BREAKDOWN_APPEND:+-append "$BREAKDOWN_APPEND"} \
        -initrd "$d/user/root.elf,$d/user/pingserver.elf,$d/user/pingclient.elf" 2>/dev/null &
    qpid=$!
    sleep 1
    BREAKDOWN_OUT="$tmp/$p.pcs" BREAKDOWN_PORT=$port timeout 300 gdb -q -batch -nx \
        -ex "file $d/kernel.elf" -x "$here/fastpath_trace.py" >"$tmp/$p.gdb" 2>&1 || {
        echo "bench-breakdown.sh: gdb failed for $p:" >&2; tail -5 "$tmp/$p.gdb" >&2; exit 1; }
    kill $qpid 2>/dev/null || true
    wait $qpid 2>/dev/null || true
    python3 "$here/fastpath_breakdown.py" "$d/kernel.elf" "$tmp/$p.pcs" "${p%-notrace}"
    port=$((port + 1))
done
