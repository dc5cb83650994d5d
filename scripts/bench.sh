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
# The bench's hub logs in to Kafka as the hub (scripts/infra/kafka.sh runs SASL/SCRAM by default).
if [ "${NAZORG_KAFKA_AUTH:-scram}" = scram ]; then
  export KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=nazorg-hub KAFKA_SASL_PASSWORD=demo-kafka-nazorg-hub
fi
npm run --silent build
npx swc bench -d dist --quiet
node dist/bench/run.js
