#!/usr/bin/env bash
# Container entry point: starts ONE component (kamailio or rtpengine) with the same templates and
# checks as start.sh, then stays in the foreground for as long as the daemon lives.
set -euo pipefail
component=${1:?usage: container.sh kamailio|rtpengine}
HERE=$(cd "$(dirname "$0")" && pwd)
export TELEPHONY_COMPONENTS=$component
bash "$HERE/start.sh"
# shellcheck source=telephony/scripts/env.sh
. "$HERE/env.sh"
pid=$(cat "$TELEPHONY_VAR/$component.pid")
exec tail --pid="$pid" -n +1 -F "$TELEPHONY_VAR/$component.log"
