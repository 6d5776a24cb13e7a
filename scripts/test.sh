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
RESULTS_E2E=${RESULTS%.json}.e2e.json
rm -f "$RESULTS" "$RESULTS_E2E"
run_vitest() { # name results-file [vitest args...]
  local name=$1 out=$2; shift 2
  step "$name" npx vitest run --reporter=default --reporter=json --outputFile.json="$out" "$@"
}
if (($#)); then
  run_vitest vitest "$RESULTS" "$@"
else
  # Browser/SIP end-to-end tests run after the rest, on an otherwise idle machine: real media and
  # timers in Chromium, Kamailio and rtpengine are sensitive to CPU starvation.
  run_vitest vitest "$RESULTS" --project unit --project agent-console --project supervisor-console --project integration
  run_vitest vitest-e2e "$RESULTS_E2E" --project e2e
fi

summary=$(node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  for (const [file, stepFailed] of [[process.argv[1], process.argv[2]], [process.argv[3], process.argv[4]]]) {
    if (!fs.existsSync(file)) {
      // vitest failed before reporting (global setup, no test files): count it, never print 0 failed.
      if (stepFailed === "true") failed++;
      continue;
    }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    // A file that fails outside any test (import error, hook) counts as one failure.
    const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
    passed += r.numPassedTests;
    const fileFailed = r.numFailedTests + brokenFiles;
    // Unhandled errors fail the step without failing a test: count the step once.
    failed += fileFailed === 0 && stepFailed === "true" ? 1 : fileFailed;
  }
  console.log(`${passed} passed, ${failed} failed`);' \
  "$RESULTS" "$([[ " ${failed_steps[*]} " == *" vitest "* ]] && echo true || echo false)" \
  "$RESULTS_E2E" "$([[ " ${failed_steps[*]} " == *" vitest-e2e "* ]] && echo true || echo false)")
rm -f "$RESULTS" "$RESULTS_E2E"

if ((${#failed_steps[@]})); then
  log "échecs : ${failed_steps[*]}"
  echo "$summary"
  exit 1
fi
echo "$summary"
