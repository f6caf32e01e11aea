#!/usr/bin/env bash
# Benchmarks: the matching decision (pure code) and, through a real Asterisk with SIPp, the
# hand-off and calls per second of the service against Asterisk's app_queue. Writes the raw
# results to var/bench/ and regenerates docs/benchmarks.md. Extra arguments go to
# bench/handoff-bench.ts (e.g. --handoffs 40 --rates 2,5,10,20,40); `--load-only [rates]` reruns
# only the calls-per-second section (see below).
#   --cluster [args]: only the cluster benchmark (1 node against 3 behind Kamailio, a node killed
#   under load; about 8 minutes): var/bench/cluster.json and its section of docs/benchmarks.md,
#   the rest of the page kept. Extra arguments go to bench/cluster-bench.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
# Its own test slot: own Asterisk, SIP/ARI/service ports and Redis prefix (see src/config/profiles.ts).
export HOTLINE_TEST_SLOT="${HOTLINE_TEST_SLOT:-4}"
# The same idempotent setup as the tests (BENCH_SKIP_SETUP=1 skips it when the stack is known ready).
[ "${BENCH_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup.sh
mkdir -p var/bench
# --load-only [rates]: only section 3 (calls per second of the service against app_queue, Asterisk's
# CPU per call, and bench/ari-per-call.ts's ARI work per call and first audio); the other sections of
# docs/benchmarks.md are kept. Rates default to 50,100,200,300.
if [ "${1:-}" = --load-only ]; then
  echo "== calls per second: service vs app_queue (test slot $HOTLINE_TEST_SLOT, several minutes)"
  node --import tsx bench/handoff-bench.ts --skip-handoff --rates "${2:-50,100,200,300}" --json > var/bench/handoff.json.tmp
  mv var/bench/handoff.json.tmp var/bench/handoff.json
  echo "== ARI work per call and first audio (about a minute)"
  node --import tsx bench/ari-per-call.ts --calls 100 --rate 10 --json > var/bench/ari-per-call.json.tmp
  mv var/bench/ari-per-call.json.tmp var/bench/ari-per-call.json
  node --import tsx bench/bench-report.ts - var/bench/handoff.json --keep-load-from docs/benchmarks.md --ari-per-call var/bench/ari-per-call.json > docs/benchmarks.md.tmp
  mv docs/benchmarks.md.tmp docs/benchmarks.md
  echo "== wrote section 3 of docs/benchmarks.md"
  exit 0
fi
if [ "${1:-}" = --cluster ]; then
  shift
  echo "== cluster: 1 node against 3, and a node killed under load (test slot $HOTLINE_TEST_SLOT)"
  node --import tsx bench/cluster-bench.ts --json "$@" > var/bench/cluster.json.tmp
  mv var/bench/cluster.json.tmp var/bench/cluster.json
  node --import tsx bench/cluster-report.ts var/bench/cluster.json --into docs/benchmarks.md
  echo "== wrote the cluster section of docs/benchmarks.md"
  exit 0
fi
echo "== matching decision (5,000 waiting, 2,000 counsellors)"
node --import tsx bench/matching-bench.ts --json > var/bench/matching.json.tmp
mv var/bench/matching.json.tmp var/bench/matching.json
echo "== hand-off and calls per second: service vs app_queue (test slot $HOTLINE_TEST_SLOT, several minutes)"
node --import tsx bench/handoff-bench.ts --json "$@" > var/bench/handoff.json.tmp
mv var/bench/handoff.json.tmp var/bench/handoff.json
echo "== time to a human: answer to the counsellor's INVITE per caller path (a few minutes)"
node --import tsx bench/time-to-human.ts --label after
# The analytics and cluster sections come from var/bench/analytics.json and var/bench/cluster.json
# (bench/analytics-bench.ts, --cluster) when they exist.
node --import tsx bench/bench-report.ts var/bench/matching.json var/bench/handoff.json var/bench/analytics.json var/bench/time-to-human.json var/bench/cluster.json > docs/benchmarks.md.tmp
mv docs/benchmarks.md.tmp docs/benchmarks.md
echo "== wrote docs/benchmarks.md"
