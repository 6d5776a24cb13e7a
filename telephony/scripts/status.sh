#!/usr/bin/env bash
# Prints the state of each component; exit 0 only when all configured components run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/scripts/env.sh"
rc=0
for c in $TELEPHONY_COMPONENTS; do
  pid_file=$TELEPHONY_VAR/$c.pid
  if [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "$c: en marche (pid $(cat "$pid_file"))"
  else
    echo "$c: arrêté"
    rc=3
  fi
done
echo "journaux: $TELEPHONY_VAR/*.log"
exit $rc
