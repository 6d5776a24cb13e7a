#!/usr/bin/env bash
# `npm test`: prepares what the tests need (packages, PostgreSQL, Redis, the telephony test
# environment when it exists), then runs every check: lint, typecheck, console build, and all
# vitest projects (unit, consoles, integration, e2e). Every step runs even if an earlier one
# failed; the exit status is non-zero if any failed. Last line: "N passed, N failed" (tests).
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -uo pipefail
cd "$(dirname "$0")/.."
RESULTS=var/test-results.$$.json  # per run: several runs may share the tree

log() { echo "[test] $*"; }

bash scripts/install-deps.sh || exit 1
bash scripts/services.sh || exit 1

# The telephony engineer's hook: it may start Kamailio/rtpengine/SIPp for the e2e tests and
# export their addresses; if it defines telephony_test_env_down, that runs when the tests end.
if [[ -f telephony/scripts/test-env.sh ]]; then
  log "environnement téléphonie de test"
  # shellcheck source=/dev/null
  . telephony/scripts/test-env.sh || { echo "[test] telephony/scripts/test-env.sh a échoué" >&2; exit 1; }
  if declare -F telephony_test_env_down >/dev/null; then trap telephony_test_env_down EXIT; fi
fi

failed_steps=()
step() {
  local name=$1; shift
  log "── $name"
  "$@" || failed_steps+=("$name")
}

step lint npx eslint .
step typecheck npm run --silent typecheck
step build npm run --silent build

mkdir -p var
rm -f "$RESULTS"
step vitest npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS" "$@"

vitest_failed=false
[[ " ${failed_steps[*]} " == *" vitest "* ]] && vitest_failed=true
summary=$(node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  try {
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    // A file that fails outside any test (import error, hook) counts as one failure.
    const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
    passed = r.numPassedTests;
    failed = r.numFailedTests + brokenFiles;
  } catch {}
  // vitest failed before reporting (global setup, no test files): count it, never print 0 failed.
  if (process.argv[2] === "true" && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed`);' "$RESULTS" "$vitest_failed")
rm -f "$RESULTS"

if ((${#failed_steps[@]})); then
  log "échecs : ${failed_steps[*]}"
  echo "$summary"
  exit 1
fi
echo "$summary"
