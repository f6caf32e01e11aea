#!/usr/bin/env bash
# Starts the project's Asterisk (demo profile layout, operator's secrets), then the service in the
# foreground. Secrets come from the environment (HOTLINE_SECRETS_JSON), never generated here.
set -euo pipefail
cd /app
redis_url="${REDIS_URL:-redis://redis:6379}" database_url="${DATABASE_URL:?set DATABASE_URL}"
mkdir -p var/demo
if [ -n "${HOTLINE_SECRETS_JSON:-}" ]; then
  umask 077
  printf '%s' "$HOTLINE_SECRETS_JSON" > var/demo/secrets.json
fi
# Every roster account must have its password from the operator: a gap stops the start (exit 2).
node --import tsx scripts/check-secrets.ts var/demo/secrets.json
node --import tsx scripts/pbx.ts start demo
eval "$(node --import tsx scripts/pbx.ts env demo)"
export REDIS_URL="$redis_url" DATABASE_URL="$database_url"
export HTTP_BIND="${HTTP_BIND:-0.0.0.0}"
exec node --import tsx src/main.ts
