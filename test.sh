#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test: install what is missing, build, run host unit tests, QEMU boot tests and
# analyzer tests (ends with "N passed, N failed"), then every attack scenario under every
# backend (the matrix), the authority sweep (every scenario and 20 generated setups per backend
# against the analyzer's model), then a few seconds of each fuzzer (make fuzz-smoke); exits
# non-zero on any failure, unexpected verdict, sweep mismatch or fuzzer finding.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
make -j"$(nproc)" all unit-tests analyzer-tests
make test "$@"
make --no-print-directory -j"$(nproc)" attacks
make --no-print-directory -j"$(nproc)" sweep SWEEP_GEN=20
make --no-print-directory -j"$(nproc)" fuzz-bins
make --no-print-directory fuzz-smoke
