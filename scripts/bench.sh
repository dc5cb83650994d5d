#!/usr/bin/env bash
# `npm run bench`: throughput and latency of the hub on the real services (see test/bench/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/swc ] || npm ci --no-audit --no-fund
bash scripts/infra/up.sh
npm run --silent build
npx swc test/bench -d dist --quiet
node dist/test/bench/pipeline.bench.js
