#!/usr/bin/env bash
# Starts the project's Asterisk for the demo profile, then the service in the foreground.
# For production, supply HOTLINE_SECRETS_FILE, ARI_PASSWORD and your own roster and carrier settings.
set -euo pipefail
cd /app
redis_url="${REDIS_URL:-redis://redis:6379}" database_url="${DATABASE_URL:?set DATABASE_URL}"
node --import tsx scripts/pbx.ts start demo
eval "$(node --import tsx scripts/pbx.ts env demo)"
export REDIS_URL="$redis_url" DATABASE_URL="$database_url"
export HTTP_BIND="${HTTP_BIND:-0.0.0.0}"
exec node --import tsx src/main.ts
