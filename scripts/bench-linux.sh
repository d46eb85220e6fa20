#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Linux IPC in the same QEMU, counted the same way (-icount shift=0: TSC = instructions):
# takes Debian's kernel image out of its package (no installation, no boot loader), boots it
# with bench/linux/ipcbench.c as /init, prints "case,instructions" lines.
# usage: bench-linux.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$1/linux"
mkdir -p "$out"
kernel="$out/vmlinuz"
if [ ! -f "$kernel" ]; then
    pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
    [ -n "$pkg" ] || { echo "bench-linux.sh: error: no linux-image-cloud-amd64 in the package lists (apt-get update?)" >&2; exit 2; }
    (cd "$out" && apt-get download -q "$pkg" >/dev/null 2>&1) || { echo "bench-linux.sh: error: cannot download $pkg" >&2; exit 2; }
    rm -rf "$out/deb" && dpkg-deb -x "$out"/"$pkg"_*.deb "$out/deb"
    cp "$out"/deb/boot/vmlinuz-* "$kernel"
fi
gcc -O2 -static -o "$out/init" "$here/bench/linux/ipcbench.c"
(cd "$out" && mkdir -p root && cp init root/init && cd root && find . | cpio -o -H newc --quiet > ../initramfs.cpio)
timeout 600 qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -m 256M -no-reboot \
    -display none -monitor none -serial stdio -kernel "$kernel" -initrd "$out/initramfs.cpio" \
    -append "console=ttyS0 quiet panic=-1 rdinit=/init" < /dev/null > "$out/run.log" 2>&1 || true
grep -q '^bench,linux_done' "$out/run.log" || { echo "bench-linux.sh: error: the Linux run did not finish; see $out/run.log" >&2; exit 1; }
sed -n 's/^bench,\(linux_[a-z_]*\),\([0-9]*\).*/\1,\2/p' "$out/run.log" | tr -d '\r' | grep -v '^linux_done'
