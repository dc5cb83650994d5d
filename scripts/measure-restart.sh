#!/usr/bin/env bash
# Builds and measures how fast a killed hub answers again (ADR 0019): SIGKILL → /health, first 202
# on POST /api/v1/events, /health/ready, and a Kafka record sent meanwhile stored; then a SIGTERM round.
# Uses DATABASE_URL, AMQP_URL and KAFKA_BROKERS of the shell (the demo's defaults otherwise).
# Usage: bash scripts/measure-restart.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
exec node scripts/measure-restart.js "${1:-3}"
