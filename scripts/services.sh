#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (no systemd needed). Idempotent.
#   bash scripts/services.sh        start what is not running
#   . scripts/services.sh           only defines the functions (ensure_services, ensure_postgres, ensure_redis)
# PG_PORT / REDIS_PORT override the default ports.

PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"

_svc_log() { echo "[services] $*"; }

_as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "[services] besoin des droits root pour : $*" >&2; return 1
  fi
}

_pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
_pg_login_ok() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -w -tAc 'select 1' >/dev/null 2>&1; }

# Loopback-only trust for a development/test machine (production uses passwords, see docker-compose.yml).
_pg_trust_loopback() {
  local hba
  hba=$(_as_root runuser -u postgres -- psql -X -p "$PG_PORT" -tAc 'show hba_file' 2>/dev/null) || return 1
  [[ -n "$hba" ]] || return 1
  _svc_log "autorise les connexions locales sans mot de passe (127.0.0.1, ::1) dans $hba"
  _as_root sed -i '1i # passerelle (dev/test): trust loopback\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  _as_root runuser -u postgres -- psql -X -q -p "$PG_PORT" -tAc 'select pg_reload_conf()' >/dev/null
}

ensure_postgres() {
  if ! _pg_up; then
    command -v pg_ctlcluster >/dev/null || { echo "[services] PostgreSQL absent : lancez scripts/install-deps.sh" >&2; return 1; }
    local cluster version name
    cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print $1, $2; exit }')
    if [[ -n "$cluster" ]]; then
      read -r version name <<<"$cluster"
    else
      version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
      name=main
      pg_lsclusters -h 2>/dev/null | awk '{ print $1, $2 }' | grep -qx "$version main" && name=passerelle
      _svc_log "création du cluster PostgreSQL $version/$name (port $PG_PORT)"
      _as_root pg_createcluster --port "$PG_PORT" "$version" "$name" >/dev/null
    fi
    _svc_log "démarrage de PostgreSQL $version/$name"
    _as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start || true
    for _ in $(seq 1 60); do _pg_up && break; sleep 0.5; done
    _pg_up || { echo "[services] PostgreSQL ne répond pas sur 127.0.0.1:$PG_PORT" >&2; return 1; }
  fi
  if ! _pg_login_ok; then
    _pg_trust_loopback || true
    _pg_login_ok || { echo "[services] impossible de se connecter à postgres@127.0.0.1:$PG_PORT sans mot de passe" >&2; return 1; }
  fi
  _svc_log "PostgreSQL prêt sur 127.0.0.1:$PG_PORT"
}

ensure_redis() {
  if [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" != "PONG" ]]; then
    command -v redis-server >/dev/null || { echo "[services] Redis absent : lancez scripts/install-deps.sh" >&2; return 1; }
    _svc_log "démarrage de Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    for _ in $(seq 1 40); do [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]] && break; sleep 0.25; done
    [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]] || { echo "[services] Redis ne répond pas sur 127.0.0.1:$REDIS_PORT" >&2; return 1; }
  fi
  _svc_log "Redis prêt sur 127.0.0.1:$REDIS_PORT"
}

ensure_services() { ensure_postgres && ensure_redis; }

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_services
fi
