#!/usr/bin/env bash
# `npm run demo`: brings the whole demo stack up on this machine and prints the URLs and logins.
#   npm run demo                  install what is missing, start services, migrate, seed, build,
#                                 (re)start the server in the background, print the banner
#   npm run demo -- --follow      same, then follow the server log (Ctrl-C stops following only)
#   npm run demo -- --stop        stop the demo server (and the telephony stack)
# Re-running is safe: the previous demo server is stopped first (PID file var/run/server.pid).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN_DIR=$ROOT/var/run
LOG_DIR=$ROOT/var/log
PID_FILE=$RUN_DIR/server.pid
TELEPHONY_START=$ROOT/telephony/scripts/start.sh
TELEPHONY_STOP=$ROOT/telephony/scripts/stop.sh

log() { echo "[demo] $*"; }

stop_server() {
  [[ -f $PID_FILE ]] || return 0
  local pid
  pid=$(cat "$PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    log "arrêt du serveur (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$PID_FILE"
}

stop_all() {
  stop_server
  if [[ -x $TELEPHONY_STOP ]]; then log "arrêt de la téléphonie"; "$TELEPHONY_STOP"; fi
}

follow=false
case "${1:-}" in
  --stop) stop_all; log "arrêté"; exit 0 ;;
  --follow) follow=true ;;
  "") ;;
  *) echo "usage: npm run demo [-- --stop | --follow]" >&2; exit 64 ;;
esac

bash scripts/install-deps.sh
bash scripts/services.sh
npx tsx scripts/ensure-env.ts
npm run --silent migrate
npm run --silent seed
log "construction des consoles"
npm run --silent build

stop_server
mkdir -p "$RUN_DIR" "$LOG_DIR"
PORT=$(node --env-file=.env -e 'console.log(process.env.PORT || 3000)')
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "[demo] le port $PORT est déjà utilisé par un autre programme (PORT dans .env pour en changer)" >&2
  exit 1
fi

telephony_flag=()
if [[ -x $TELEPHONY_START ]]; then
  log "démarrage de la téléphonie (Kamailio, rtpengine, clients simulés)"
  "$TELEPHONY_START"
  telephony_flag=(--telephony)
fi

log "démarrage du serveur (journal : var/log/server.log)"
# One node process running the production bundle (built above), detached from this terminal; .env
# values unless set in the environment. The heap cap as in `npm start` (README, "Production").
setsid node --max-old-space-size=512 --env-file=.env server/dist/main.mjs >>"$LOG_DIR/server.log" 2>&1 </dev/null &
echo $! >"$PID_FILE"

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=true; break; fi
  kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break
  sleep 0.5
done
if [[ ${ready:-false} != true ]]; then
  echo "[demo] le serveur n'est pas prêt ; fin du journal :" >&2
  tail -n 40 "$LOG_DIR/server.log" >&2
  stop_server
  exit 1
fi

npx tsx scripts/demo-banner.ts "${telephony_flag[@]}"
if $follow; then tail -n 0 -f "$LOG_DIR/server.log"; fi
