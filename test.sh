#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test: install what is missing, build, run host unit tests, QEMU boot tests and
# analyzer tests (ends with "N passed, N failed"), then every attack scenario under every
# backend (the matrix); exits non-zero on any failure or unexpected verdict.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
make -j"$(nproc)" all unit-tests analyzer-tests
make test "$@"
make --no-print-directory -j"$(nproc)" attacks
