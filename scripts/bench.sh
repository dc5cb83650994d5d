#!/usr/bin/env bash
# `npm run bench`: throughput and latency of the hub on the real services (see test/bench/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/swc ] || npm ci --no-audit --no-fund
bash scripts/infra/up.sh
# The bench's hub logs in to Kafka as the hub (scripts/infra/kafka.sh runs SASL/SCRAM by default).
if [ "${NAZORG_KAFKA_AUTH:-scram}" = scram ]; then
  export KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=nazorg-hub KAFKA_SASL_PASSWORD=demo-kafka-nazorg-hub
fi
npm run --silent build
npx swc test/bench -d dist --quiet
node dist/test/bench/pipeline.bench.js
