#!/usr/bin/env bash
# The one test command: setup (idempotent), lint, typecheck, unit tests, then end-to-end tests
# against the real Asterisk, Redis, PostgreSQL, SIPp and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p var/test-results
echo "== lint"; npx eslint .
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== unit tests"; npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=var/test-results/unit.json
echo "== end-to-end tests"; npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json=var/test-results/e2e.json \
  --reporter=./tests/support/retried-tests-reporter.ts
# One closing line over both projects, in the plain 'N passed, N failed' form.
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  for (const f of ["unit", "e2e"]) {
    const r = JSON.parse(fs.readFileSync(`var/test-results/${f}.json`, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
' || true
