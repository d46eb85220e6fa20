#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test: install what is missing, build, run host unit tests, QEMU boot tests and
# analyzer tests; ends with "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
make -j"$(nproc)" all unit-tests analyzer-tests
make test "$@"
