#!/usr/bin/env bash
# Installs whatever is missing and prepares every real part the hotline needs. Idempotent:
# a second run costs seconds. Used by the demo, the tests, CI and the Docker image alike.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[setup] %s\n' "$*" >&2; }

# One setup at a time on a machine: apt and the Asterisk build share machine-wide state, and
# several checkouts (or a test run beside the demo) may call this at once.
mkdir -p /var/lock
exec 9>/var/lock/hotline12355-setup.lock
flock 9

# Debian packages: SIP test peers, voices for prompts, a browser for page tests, and Kamailio,
# the SIP edge of the cluster profile (dispatcher over the Asterisk nodes, registrar for phones).
APT_PACKAGES=(sip-tester espeak-ng sox chromium fonts-wqy-microhei baresip redis-server postgresql procps curl openssl fail2ban nftables
  kamailio kamailio-websocket-modules kamailio-tls-modules)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Asterisk 22, built once from Debian's source package into /opt/hotline12355/asterisk.
bash scripts/install-asterisk.sh

# Node packages, only when the lock file changed since the last install.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Redis: the hotline's own, persistent (AOF, fsync every second, noeviction) on 127.0.0.1:6380.
# Daemons started here must not inherit the lock (fd 9): a Redis holding it kept every later
# setup on the machine (npm test, npm run chaos, the demo) waiting for as long as it ran.
bash scripts/redis.sh 9>&-
# PostgreSQL: this machine kind starts it; start it if it is not answering.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start 9>&- || true
  for _ in $(seq 1 50); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.2; done
fi

# Voice prompts (espeak-ng + sox, or recordings from sounds/recorded) and the web pages.
node --import tsx scripts/render-prompts.ts --out var/sounds --overrides sounds/recorded
node --import tsx scripts/build-web.ts
log "ready"
