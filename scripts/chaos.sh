#!/usr/bin/env bash
# npm run chaos [-- -t "<scenario name>"]: faults under load on the real stack; the figures go to
# docs/reliability.md. Runs in a test slot of its own (8) so a demo or a test run can share the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HOTLINE_TEST_SLOT="${HOTLINE_TEST_SLOT:-8}"
mkdir -p docs/reliability-data
status=0
npx vitest run --project chaos "$@" || status=$?
node --import tsx scripts/reliability-report.ts
exit "$status"
