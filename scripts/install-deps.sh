#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to run Passerelle, and nothing else:
# the Debian packages of the stack (only the missing ones) and the npm dependencies (only when
# node_modules is missing or out of date with package-lock.json). Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[install-deps] $*"; }

# Debian packages the stack uses: databases, Chromium for browser tests, the telephony stack
# (Kamailio, rtpengine userspace daemon — not the `rtpengine` metapackage that wants kernel
# modules —, SIPp), sox for audio samples, docker-compose to validate the compose file,
# poppler-utils for PDF checks, iproute2 for the test network namespace.
PACKAGES=(
  postgresql redis-server chromium
  kamailio kamailio-websocket-modules kamailio-utils-modules kamailio-extra-modules kamailio-autheph-modules
  rtpengine-daemon rtpengine-utils sip-tester sox
  docker-compose poppler-utils iproute2 curl ca-certificates
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in "${PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done

if ((${#missing[@]})); then
  log "paquets manquants : ${missing[*]}"
  SUDO=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "[install-deps] lancez en root pour installer : ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-o DPkg::Lock::Timeout=900)
  # Packages must not start their daemons (a stock Kamailio on 5060 would shadow ours): the
  # project's scripts start PostgreSQL, Redis and the telephony stack themselves.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
    trap '"${SUDO[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${SUDO[@]}" apt-get "${apt_opts[@]}" update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "${missing[@]}"
else
  log "paquets Debian : tout est déjà installé"
fi

# Node.js itself is a prerequisite (Debian 12 ships 18, too old): fail clearly rather than half-way.
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null || {
  echo "[install-deps] Node.js >= 20.19 est requis (trouvé : $(node -v 2>/dev/null || echo aucun))" >&2
  exit 1
}

# npm ci only when the installed tree does not match the lockfile. The mtime test is the cheap
# first filter; the content test avoids wiping a good node_modules after a mere touch.
npm_tree_stale() {
  [[ -d node_modules ]] || return 0
  [[ -f node_modules/.package-lock.json ]] || return 0
  [[ package-lock.json -nt node_modules/.package-lock.json ]] || return 1
  node -e '
    const want = require("./package-lock.json").packages, have = require("./node_modules/.package-lock.json").packages;
    const stale = Object.entries(want).some(([k, v]) => k && !v.optional && (have[k]?.version !== v.version));
    process.exit(stale ? 0 : 1);'
}

if npm_tree_stale; then
  (
    # One npm at a time on a shared tree (the team's convention).
    if command -v flock >/dev/null; then exec 9>"${NPM_LOCK:-/tmp/npm.lock}" && flock 9; fi
    log "npm ci"
    # npm ci refuses a lockfile that lacks an optional dependency the registry cannot serve
    # (seen here with vite's Windows-only helper); install the locked tree without rewriting it.
    npm ci --no-audit --no-fund || {
      log "npm ci a échoué : npm install --no-save (package-lock.json n'est pas modifié)"
      npm install --no-save --no-audit --no-fund
    }
  )
else
  log "dépendances npm : à jour"
fi
