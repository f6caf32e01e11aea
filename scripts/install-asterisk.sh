#!/usr/bin/env bash
# Builds Asterisk 22 from Debian's source package into a prefix the project owns.
# Idempotent: when the prefix already holds a working asterisk binary, it returns in seconds.
# Downloads nothing but Debian packages (pjproject comes bundled in the Debian source).
set -euo pipefail

PREFIX="${HOTLINE_ASTERISK_PREFIX:-/opt/hotline12355/asterisk}"
WORK="${HOTLINE_ASTERISK_BUILD_DIR:-/var/cache/hotline12355/asterisk-build}"
log() { printf '[install-asterisk] %s\n' "$*" >&2; }

if [ -x "$PREFIX/sbin/asterisk" ] && "$PREFIX/sbin/asterisk" -V 2>/dev/null | grep -q '^Asterisk 22'; then
  log "already installed: $("$PREFIX/sbin/asterisk" -V) in $PREFIX"
  exit 0
fi

BUILD_DEPS=(build-essential autoconf libjansson-dev libxml2-dev libsqlite3-dev uuid-dev libedit-dev
  libssl-dev libsrtp2-dev libcurl4-openssl-dev libncurses-dev pkg-config bzip2 patch libxslt1-dev
  dpkg-dev debian-archive-keyring)
missing=()
for p in "${BUILD_DEPS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing build dependencies: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p "$WORK/lists/partial" "$WORK/src"
SOURCES="$WORK/sid-src.list"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" > "$SOURCES"
APT_OPTS=(-o "Dir::Etc::SourceList=$SOURCES" -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$WORK/lists")

cd "$WORK/src"
if ! ls asterisk_*.dsc >/dev/null 2>&1; then
  log "fetching the asterisk source package from Debian sid"
  apt-get "${APT_OPTS[@]}" update -qq
  apt-get "${APT_OPTS[@]}" source --download-only asterisk >/dev/null
fi
SRC_DIR=$(find . -maxdepth 1 -type d -name 'asterisk-*' | head -n1)
if [ -z "$SRC_DIR" ]; then
  dpkg-source -x --no-check asterisk_*.dsc >/dev/null
  SRC_DIR=$(find . -maxdepth 1 -type d -name 'asterisk-*' | head -n1)
fi
cd "$SRC_DIR"

# Pack the bundled pjproject the way debian/rules does, so the build never downloads it.
PJMAJ=$(grep -Po '^export PJ_VERSION_MAJOR\s+:=\s+\K\d+' Xpjproject/version.mak)
PJMIN=$(grep -Po '^export PJ_VERSION_MINOR\s+:=\s+\K\d+' Xpjproject/version.mak || true)
PJREV=$(grep -Po '^export PJ_VERSION_REV\s+:=\s+\K\d+' Xpjproject/version.mak || true)
PJ_VER="$PJMAJ${PJMIN:+.$PJMIN}${PJREV:+.$PJREV}"
CACHE="$WORK/externals"
mkdir -p "$CACHE"
TARBALL="$CACHE/pjproject-$PJ_VER.tar.bz2"
if [ ! -f "$TARBALL" ]; then
  log "packing bundled pjproject $PJ_VER"
  rm -f "$CACHE/pjproject-$PJ_VER"
  ln -s "$PWD/Xpjproject" "$CACHE/pjproject-$PJ_VER"
  (cd "$CACHE" && tar --create --dereference "pjproject-$PJ_VER" | bzip2 --fast > "pjproject-$PJ_VER.tar.bz2")
  rm -f "$CACHE/pjproject-$PJ_VER"
fi
(cd "$CACHE" && md5sum "pjproject-$PJ_VER.tar.bz2") > "third-party/pjproject/pjproject-$PJ_VER.tar.bz2.md5"
export EXTERNALS_CACHE_DIR="$CACHE"

log "configuring (prefix $PREFIX)"
./configure --prefix="$PREFIX" --with-pjproject-bundled --with-jansson --without-sdl \
  --disable-xmldoc > "$WORK/configure.log" 2>&1 \
  || { tail -n 40 "$WORK/configure.log" >&2; exit 1; }
log "building (about 5 minutes on 2 cores)"
make -j"$(nproc)" > "$WORK/make.log" 2>&1 || { tail -n 60 "$WORK/make.log" >&2; exit 1; }
make install > "$WORK/install.log" 2>&1 || { tail -n 40 "$WORK/install.log" >&2; exit 1; }
"$PREFIX/sbin/asterisk" -V
log "installed into $PREFIX"
