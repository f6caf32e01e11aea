#!/usr/bin/env bash
# One command for the whole stack in the demo profile: installs what is missing, starts Asterisk
# with the project's configuration, and runs the service in the foreground. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node --import tsx scripts/pbx.ts start demo
eval "$(node --import tsx scripts/pbx.ts env demo)"
node --import tsx scripts/demo-banner.ts
stop() {
  trap - INT TERM
  [ -n "${svc:-}" ] && kill -TERM "$svc" 2>/dev/null && wait "$svc" 2>/dev/null || true
  node --import tsx scripts/pbx.ts stop demo
  echo "stopped"
}
trap stop INT TERM
# Process substitution, not a pipe: $! must be the service itself so that stop() reaches it.
node --import tsx src/main.ts > >(npx pino-pretty --singleLine) 2>&1 &
svc=$!
wait "$svc" || true
stop
