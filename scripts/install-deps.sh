#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the platform needs on Debian/Ubuntu, only if something is missing.
set -euo pipefail
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
have_cmd make || need+=(make)
have_cmd gcc || need+=(gcc)
have_cmd objcopy || need+=(binutils)
have_cmd qemu-system-x86_64 || need+=(qemu-system-x86)
have_cmd z3 || need+=(z3)
have_cmd dot || need+=(graphviz)
have_cmd timeout || need+=(coreutils)
have_cmd python3 || need+=(python3)
have_cmd gdb || need+=(gdb)               # make bench: the fast path's per-phase breakdown
have_cmd cpio || need+=(cpio)             # make bench: the Linux comparison's initramfs
have_pkg libc6-dev || need+=(libc6-dev)   # its static /init
have_pkg libcmocka-dev || need+=(libcmocka-dev)
# The host tests build with AddressSanitizer/UBSan (libasan, libubsan come with gcc).
# --fuzz: also what `make fuzz-analyzer` needs (clang with libFuzzer).
if [ "${1:-}" = "--fuzz" ]; then
    have_cmd clang || need+=(clang)
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
        || need+=(libclang-rt-14-dev)
fi
# --paper: also what `make compare` (gnuplot) and `make paper` (LaTeX, SVG→PDF, page images) need.
if [ "${1:-}" = "--paper" ]; then
    have_cmd gnuplot || need+=(gnuplot-nox)
    have_cmd pdflatex || need+=(texlive-latex-base texlive-latex-recommended texlive-fonts-recommended)
    have_cmd rsvg-convert || need+=(librsvg2-bin)
    have_cmd pdftoppm || need+=(poppler-utils)
fi
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
echo "install-deps: installing ${need[*]}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
