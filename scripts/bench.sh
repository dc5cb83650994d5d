#!/usr/bin/env bash
# `npm run bench`: raw baselines and the hub, side by side in one run on the real services (see
# README "Benchmark" and bench/). Brings up what is missing, as `npm test` does. Writes
# bench/results/<timestamp>.{json,md} and bench/results/latest.md. BENCH_QUICK=1: a short run.
# Runs in the test database and virtual host (it truncates the hub's tables there).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/swc ] || npm ci --no-audit --no-fund
bash scripts/infra/up.sh
export DATABASE_URL="${DATABASE_URL:-postgres://nazorg:nazorg@localhost:5432/nazorg_test}"
export AMQP_URL="${AMQP_URL:-amqp://guest:guest@localhost:5672/nazorg-test}"
npm run --silent build
npx swc bench -d dist --quiet
node dist/bench/run.js
