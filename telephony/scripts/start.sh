#!/usr/bin/env bash
# Starts the development/demo/test telephony stack: rtpengine, Kamailio and the simulated trunk
# (SIPp). No systemd: PID files and logs in $TELEPHONY_VAR (default var/telephony). Idempotent:
# a component whose PID is alive is left alone. Settings come from the environment, then .env,
# then the defaults below (see telephony/README.md).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=telephony/scripts/env.sh
. "$HERE/scripts/env.sh"

log() { echo "[telephony] $*"; }

mkdir -p "$TELEPHONY_VAR/recordings" "$TELEPHONY_VAR/run"

# Replaces every @@NAME@@ in a template with the value of the variable NAME.
render() {
  local src=$1 dst=$2 content name
  content=$(<"$src")
  for name in SERVER_URL SERVER_CON_URL SIP_API_KEY SIP_AUTH_SECRET SIP_DOMAIN SIP_IP SIP_UDP_PORT SIP_WS_PORT \
    RTPENGINE_NG_PORT RTP_IP RTP_PORT_MIN RTP_PORT_MAX TRUNK_IP TRUNK_PORT RING_TIMEOUT_MS \
    UDP_AGENT_IP UDP_AGENT_PORT BENCH_DESTINATION TOPOH_KEY VAR_DIR LOG_LEVEL RTP_LOG_LEVEL CHILDREN; do
    content=${content//@@$name@@/${!name}}
  done
  if grep -vE '^[[:space:]]*#' <<<"$content" | grep -qE '@@[A-Z_]+@@'; then
    echo "[telephony] marqueur non remplacé dans $src" >&2
    exit 1
  fi
  umask 077
  printf '%s\n' "$content" >"$dst"
}

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_port() { # proto port
  # Up to 30 s: a loaded machine (CI) can take that long to start Kamailio's workers.
  for _ in $(seq 1 300); do
    if ss -Hln"${1:0:1}" "sport = :$2" | grep -q .; then return 0; fi
    sleep 0.1
  done
  return 1
}

start_rtpengine() {
  local pid=$TELEPHONY_VAR/rtpengine.pid
  if alive "$pid"; then log "rtpengine déjà démarré (pid $(cat "$pid"))"; return; fi
  render "$HERE/rtpengine.conf" "$TELEPHONY_VAR/rtpengine.conf"
  # No core files in the working tree if the daemon crashes at shutdown.
  ulimit -c 0
  setsid rtpengine --config-file="$TELEPHONY_VAR/rtpengine.conf" --pidfile="$pid.tmp" \
    >>"$TELEPHONY_VAR/rtpengine.log" 2>&1 </dev/null &
  echo $! >"$pid"
  wait_port udp "$RTPENGINE_NG_PORT" || { echo "[telephony] rtpengine ne démarre pas (voir $TELEPHONY_VAR/rtpengine.log)" >&2; exit 1; }
  log "rtpengine prêt (ng 127.0.0.1:$RTPENGINE_NG_PORT, RTP $RTP_PORT_MIN-$RTP_PORT_MAX)"
}

start_kamailio() {
  local pid=$TELEPHONY_VAR/kamailio.pid defines=()
  if alive "$pid"; then log "Kamailio déjà démarré (pid $(cat "$pid"))"; return; fi
  render "$HERE/kamailio.cfg" "$TELEPHONY_VAR/kamailio.cfg"
  for d in $KAMAILIO_DEFINES; do defines+=(-A "$d"); done
  if [[ " $KAMAILIO_DEFINES " == *" WITH_TLS "* ]]; then
    [[ -r ${TLS_CERT_FILE:-} && -r ${TLS_KEY_FILE:-} ]] || { echo "[telephony] WITH_TLS : TLS_CERT_FILE et TLS_KEY_FILE doivent désigner le certificat et la clé" >&2; exit 1; }
    umask 077
    printf '[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\ncertificate = %s\nprivate_key = %s\n' \
      "$TLS_CERT_FILE" "$TLS_KEY_FILE" >"$TELEPHONY_VAR/tls.cfg"
  fi
  kamailio -c -f "$TELEPHONY_VAR/kamailio.cfg" "${defines[@]}" >>"$TELEPHONY_VAR/kamailio.log" 2>&1 \
    || { echo "[telephony] configuration Kamailio invalide (voir $TELEPHONY_VAR/kamailio.log)" >&2; exit 1; }
  setsid kamailio -DD -E -f "$TELEPHONY_VAR/kamailio.cfg" "${defines[@]}" -Y "$TELEPHONY_VAR/run" \
    -m "$KAMAILIO_SHM_MB" -M 16 >>"$TELEPHONY_VAR/kamailio.log" 2>&1 </dev/null &
  echo $! >"$pid"
  wait_port tcp "$SIP_WS_PORT" || { echo "[telephony] Kamailio ne démarre pas (voir $TELEPHONY_VAR/kamailio.log)" >&2; exit 1; }
  log "Kamailio prêt (ws $SIP_IP:$SIP_WS_PORT, udp $SIP_IP:$SIP_UDP_PORT, serveur $SERVER_URL)"
}

start_trunk() {
  local pid=$TELEPHONY_VAR/trunk.pid
  if alive "$pid"; then log "opérateur simulé déjà démarré (pid $(cat "$pid"))"; return; fi
  local out
  out=$(sipp -sf "$HERE/sipp/trunk.xml" -i "$TRUNK_IP" -p "$TRUNK_PORT" -mi "$TRUNK_IP" -mp "$TRUNK_MEDIA_PORT" \
    -trace_msg -message_file "$TELEPHONY_VAR/trunk-messages.log" -trace_err -error_file "$TELEPHONY_VAR/trunk-errors.log" \
    -bg -nostdin 2>&1 </dev/null) || true
  printf '%s\n' "$out" >>"$TELEPHONY_VAR/trunk.log"
  # -bg forks and prints the daemon's PID.
  local p
  p=$(grep -o 'PID=\[[0-9]*\]' <<<"$out" | tr -dc 0-9)
  if [[ -n $p ]] && kill -0 "$p" 2>/dev/null; then
    echo "$p" >"$pid"
    log "opérateur simulé prêt (udp $TRUNK_IP:$TRUNK_PORT)"
    return
  fi
  echo "[telephony] SIPp ne démarre pas (voir $TELEPHONY_VAR/trunk.log)" >&2
  exit 1
}

for c in $TELEPHONY_COMPONENTS; do
  case $c in
    rtpengine) start_rtpengine ;;
    kamailio) start_kamailio ;;
    trunk) start_trunk ;;
    *) echo "[telephony] composant inconnu: $c" >&2; exit 64 ;;
  esac
done
