#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build every backend, run every attack scenario under
# every backend (the matrix: printed, and written as Markdown and CSV under build/attacks/),
# and render the communication graphs of one scenario's runs as SVG.
# usage: ./run.sh [SCENARIO whose graphs to render; default unauth_send]
set -uo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh || exit 1
jobs=$(nproc)
make -j"$jobs" all-policies analyzer >/dev/null || exit 1
status=0
make --no-print-directory -j"$jobs" attacks || status=$?
make --no-print-directory attack-graphs SCENARIO="${1:-unauth_send}" || status=1
exit $status
