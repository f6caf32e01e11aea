#!/usr/bin/env bash
# Starts the hotline's own Redis (config/redis/hotline-redis.conf: AOF, fsync every second,
# noeviction) on 127.0.0.1:6380 unless it answers already. Idempotent. The machine's own Redis on
# 6379 keeps nothing on disk, so the demo and the tests do not use it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${HOTLINE_REDIS_PORT:-6380}"
DIR="${HOTLINE_REDIS_DIR:-/var/lib/hotline12355/redis}"
log() { printf '[redis] %s\n' "$*" >&2; }

if redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1; then
  # Started earlier (perhaps by an older setup): hold it to the settings all the same.
  redis-cli -h 127.0.0.1 -p "$PORT" config set appendonly yes >/dev/null
  redis-cli -h 127.0.0.1 -p "$PORT" config set appendfsync everysec >/dev/null
  redis-cli -h 127.0.0.1 -p "$PORT" config set maxmemory-policy noeviction >/dev/null
  exit 0
fi
mkdir -p "$DIR"
log "starting the hotline Redis on 127.0.0.1:$PORT (AOF in $DIR)"
redis-server config/redis/hotline-redis.conf --port "$PORT" --dir "$DIR" --logfile "$DIR/redis.log" \
  --pidfile "$DIR/redis.pid" --daemonize yes
for _ in $(seq 1 100); do
  redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
log "Redis did not answer on $PORT; see $DIR/redis.log"
tail -n 20 "$DIR/redis.log" >&2 || true
exit 1
