#!/usr/bin/env bash
# `npm run test:faults`: the fault suite (test/faults, issue 11). Streams simulated feed events over
# Kafka, RabbitMQ and HTTP into the built apps, run as child processes, while it kills processes and
# stops PostgreSQL, RabbitMQ and Kafka; then checks what every recipient received against a
# fault-free run of the same lifecycles. Report: test-artifacts/faults/report.{md,json}.
#
# It stops and restarts the services it runs on, so it only runs on services started from its own
# data directory (NAZORG_DATA_DIR): never on ones found already running elsewhere. On a machine whose
# default ports are taken by shared services give it a private stack, e.g.
#   NAZORG_DATA_DIR=/tmp/faults PGPORT=15432 NAZORG_AMQP_PORT=5682 RABBITMQ_NODENAME=faults@localhost \
#   NAZORG_RABBITMQ_DIST_PORT=25682 NAZORG_KAFKA_PORT=19392 NAZORG_KAFKA_CONTROLLER_PORT=19393 npm run test:faults
# FAULTS_EVENTS (default 10000), FAULTS_ONLY (comma-separated fault names), FAULTS_RATE: see README.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/infra/lib.sh

[ -x node_modules/.bin/jest ] || npm ci --no-audit --no-fund
RMQ_DIR="$DATA_DIR/rabbitmq"
# From its first start on, the suite's RabbitMQ node traces every delivery to a consumer (the
# firehose) on the suite's vhost, so a restarted node traces from its first message on.
VHOST=nazorg-faults
export RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
mkdir -p "$RMQ_DIR"
echo "[{rabbit, [{trace_vhosts, [<<\"$VHOST\">>]}]}]." >"$RABBITMQ_ADVANCED_CONFIG_FILE"

bash scripts/infra/up.sh

# Ownership: a service found already running was not started from $DATA_DIR; never stop that one.
owned() { # name pidfile
  if [ ! -s "$2" ] || ! kill -0 "$(head -n 1 "$2")" 2>/dev/null; then
    log "$1 on this address was not started from $DATA_DIR: the fault suite stops and restarts the"
    log "services it uses, so give it its own (NAZORG_DATA_DIR, PGPORT, NAZORG_AMQP_PORT, ... see $0)"
    exit 1
  fi
}
owned PostgreSQL "$DATA_DIR/postgres/postmaster.pid"
[ "$(sed -n 4p "$DATA_DIR/postgres/postmaster.pid")" = "$PG_PORT" ] || owned PostgreSQL /nonexistent
owned RabbitMQ "$RMQ_DIR/rabbitmq.pid"
owned Kafka "$DATA_DIR/kafka/kafka.pid"

export PGPASSWORD="$PG_PASSWORD"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname='nazorg_faults'" |
  grep -q 1 || psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database nazorg_faults"
bash scripts/infra/rabbitmq.sh users "$VHOST"
# A node started before this script wrote advanced.config: tracing on now (the restarts keep it).
(export HOME="${NAZORG_RABBITMQ_HOME:-$RMQ_DIR}" RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-nazorg@localhost}"
  /usr/lib/rabbitmq/bin/rabbitmqctl -q trace_on -p "$VHOST" >/dev/null)

echo "[faults] building"
npm run --silent build

export FAULTS_DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/nazorg_faults"
export FAULTS_AMQP_URL="amqp://127.0.0.1:$AMQP_PORT/$VHOST"
export FAULTS_AMQP_TOOL_URL="amqp://guest:guest@127.0.0.1:$AMQP_PORT/$VHOST"
export FAULTS_KAFKA_BROKERS="localhost:$KAFKA_PORT"
export FAULTS_DATA_DIR="$DATA_DIR"
# The apps and the suite's feed log in to Kafka as the hub (scripts/infra/kafka.sh runs SASL/SCRAM
# by default).
if [ "${NAZORG_KAFKA_AUTH:-scram}" = scram ]; then
  export KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=nazorg-hub KAFKA_SASL_PASSWORD=demo-kafka-nazorg-hub
fi
exec npx jest --config test/faults/jest.config.js --runInBand --forceExit --ci "$@"
