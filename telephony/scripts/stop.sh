#!/usr/bin/env bash
# Stops what start.sh started (by PID file only). Idempotent.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/scripts/env.sh"

stop_one() {
  local name=$1 pid_file=$TELEPHONY_VAR/$1.pid pid
  [[ -f $pid_file ]] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    echo "[telephony] $name arrêté"
  fi
  rm -f "$pid_file" "$pid_file.tmp"
}

for c in trunk kamailio rtpengine; do stop_one "$c"; done
