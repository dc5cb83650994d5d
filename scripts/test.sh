#!/usr/bin/env bash
# `npm test`: installs what is missing (dependencies, PostgreSQL, RabbitMQ, Kafka), type-checks,
# then runs every unit and integration test against the real services.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/jest ] || npm ci --no-audit --no-fund
bash scripts/infra/up.sh
# The console's browser tests drive Debian's Chromium (never a downloaded browser).
bash scripts/infra/chromium.sh

echo "[test] type-checking"
npx tsc -p tsconfig.json --noEmit

mkdir -p .data
status=0
# Integration tests share the test database and virtual host, so files run one at a time.
npx jest --runInBand --forceExit --ci --json --outputFile=.data/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.data/jest-results.json");
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
exit "$status"
