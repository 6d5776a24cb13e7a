# Sourced by start/stop/status: settings from the environment, then the repository's .env, then
# defaults. Tests run several stacks side by side by giving each its own TELEPHONY_VAR and ports.
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ -f $_root/.env ]]; then
  while IFS='=' read -r _k _v; do
    [[ $_k =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [[ -z ${!_k+x} ]] && export "$_k=$_v"
  done < <(grep -E '^[A-Z_][A-Z0-9_]*=' "$_root/.env")
fi
: "${TELEPHONY_VAR:=$_root/var/telephony}"
: "${TELEPHONY_COMPONENTS:=rtpengine kamailio trunk}"
: "${SERVER_URL:=http://127.0.0.1:${PORT:-3000}}"
: "${SIP_API_KEY:=dev-sip-api-key-change-me}"
: "${SIP_AUTH_SECRET:=dev-sip-secret-change-me}"
: "${SIP_DOMAIN:=passerelle.local}"
: "${SIP_IP:=127.0.0.1}"
: "${SIP_UDP_PORT:=5060}"
: "${SIP_WS_PORT:=8080}"
: "${RTPENGINE_NG_PORT:=2223}"
: "${RTP_IP:=127.0.0.1}"
: "${RTP_PORT_MIN:=30000}"
: "${RTP_PORT_MAX:=30199}"
: "${TRUNK_IP:=127.0.0.1}"
: "${TRUNK_PORT:=5070}"
: "${TRUNK_MEDIA_PORT:=6000}"
: "${RING_TIMEOUT_MS:=45000}"
: "${UDP_AGENT_IP:=127.0.0.1}"
: "${UDP_AGENT_PORT:=5099}"
: "${BENCH_DESTINATION:=+590690000001}"
: "${TOPOH_KEY:=$(printf '%s' "$SIP_AUTH_SECRET" | sha256sum | cut -c1-24)}"
: "${KAMAILIO_DEFINES:=}"
: "${KAMAILIO_SHM_MB:=64}"
: "${LOG_LEVEL:=1}"
: "${RTP_LOG_LEVEL:=5}"
: "${CHILDREN:=4}"
# Kamailio's connection to the server carries the shared key as Basic credentials (URL-safe keys).
if [[ ! $SIP_API_KEY =~ ^[A-Za-z0-9._~-]+$ ]]; then
  echo "[telephony] SIP_API_KEY : seuls A-Z a-z 0-9 . _ ~ - sont admis" >&2
  return 1
fi
SERVER_CON_URL=${SERVER_URL/:\/\//://kamailio:$SIP_API_KEY@}
VAR_DIR=$TELEPHONY_VAR
export TELEPHONY_VAR VAR_DIR
unset _root _k _v
