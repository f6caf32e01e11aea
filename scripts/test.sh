#!/usr/bin/env bash
# The one test command: setup (idempotent), lint, typecheck, unit tests, then end-to-end tests
# against the real Asterisk, Redis, PostgreSQL, SIPp and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== lint"; npx eslint .
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== unit tests"; npx vitest run --project unit
echo "== end-to-end tests"; npx vitest run --project e2e
