#!/usr/bin/env bash
# The cluster profile on one machine: Kamailio (SIP edge, 127.0.1.10), three Asterisk nodes
# (127.0.1.1-3) and two service instances sharing Redis and PostgreSQL; one instance drives the
# nodes, the other waits to take over. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node --import tsx scripts/cluster.ts start demo
pids=()
stop() {
  trap - INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  node --import tsx scripts/cluster.ts stop demo
  echo "stopped"
}
trap stop INT TERM
for i in 0 1; do
  ( eval "$(node --import tsx scripts/cluster.ts env demo "$i")"; exec node --import tsx src/main.ts ) > >(npx pino-pretty --singleLine --messageFormat "[svc$i] {msg}") 2>&1 &
  pids+=($!)
done
echo "cluster up: carrier calls to sip:12355@127.0.1.10:5060 (from 127.0.0.2), phones register to 127.0.1.10:5060 or over TLS to :5061"
echo "service instances: https://127.0.0.1:8080 and https://127.0.0.1:8081 (the standby answers once it takes over); consoles use WSS at 127.0.1.10:8091"
echo "trust var/demo/tls/ca.crt in the browser (README, \"HTTPS, WSS and SIP over TLS\")"
wait -n "${pids[@]}" || true
stop
