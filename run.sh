#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build, boot the demo in QEMU.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
make -j"$(nproc)" all
make run "$@"
