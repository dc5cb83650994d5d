#!/usr/bin/env bash
# `npm start`: brings up what is missing (dependencies, PostgreSQL, RabbitMQ, Kafka), builds, and
# runs every app plus the simulated INJUS/DPAN feed in the foreground. Ctrl-C stops the apps;
# `npm run infra:down` stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/concurrently ] || npm ci --no-audit --no-fund
bash scripts/infra/up.sh
echo "[start] building"
npm run --silent build

# Each app logs in to RabbitMQ as its own user by itself (AMQP_USER_<APP>, demo logins). Kafka runs
# with SASL/SCRAM and ACLs (scripts/infra/kafka.sh): the hub, the feed and ops get their principals' demo
# logins, unless the broker was started with NAZORG_KAFKA_AUTH=none.
HUB_KAFKA="" FEED_KAFKA="" OPS_KAFKA=""
if [ "${NAZORG_KAFKA_AUTH:-scram}" = scram ]; then
  export KAFKA_SASL_MECHANISM=scram-sha-512
  HUB_KAFKA="KAFKA_SASL_USERNAME=nazorg-hub KAFKA_SASL_PASSWORD=demo-kafka-nazorg-hub"
  FEED_KAFKA="KAFKA_SASL_USERNAME=nazorg-feed KAFKA_SASL_PASSWORD=demo-kafka-nazorg-feed"
  OPS_KAFKA="KAFKA_SASL_USERNAME=nazorg-ops KAFKA_SASL_PASSWORD=demo-kafka-nazorg-ops"
fi

# The apps' V8 heap limits, as in the image (config/node-options, docs/adr/0029).
export NODE_OPTIONS="${NODE_OPTIONS:-$(cat config/node-options)}"

HUB="http://localhost:${HUB_HTTP_PORT:-3000}"
OPS="http://localhost:${OPS_HTTP_PORT:-3001}"
# Incidents (stuck channels, failing recipients, missed deadlines) go to the mocks' alert receiver.
export ALERT_WEBHOOK_URL="${ALERT_WEBHOOK_URL:-http://127.0.0.1:${EXTERNAL_MOCKS_PORT:-4000}/alerts}"
cat <<INFO

  Nazorg Hub is starting. Where to look:
    operations console:        $OPS/   (paste demo-operator-token, or demo-coordinator-<tenant>-token)
    flows (counts per stage):  curl -s -H 'Authorization: Bearer demo-operator-token' $OPS/api/v1/flows
    dead letters:              curl -s -H 'Authorization: Bearer demo-operator-token' $OPS/api/v1/dead-letters
    stuck channels / lag:      curl -s -H 'Authorization: Bearer demo-operator-token' $OPS/api/v1/channels
    incidents (alerts sent):   curl -s -H 'Authorization: Bearer demo-operator-token' $OPS/api/v1/incidents   (received: $ALERT_WEBHOOK_URL)
    running instances:         curl -s -H 'Authorization: Bearer demo-operator-token' $OPS/api/v1/instances
    deadline alerts:           curl -s -H 'Authorization: Bearer demo-operator-token' $OPS/api/v1/alerts
    registration report:       curl -s -H 'Authorization: Bearer demo-operator-token' "$OPS/api/v1/reports/registration?tenant=eemland-zuid&month=$(date +%Y-%m)&format=csv"
    DPAN answers received:     tail -f ${FEED_DPAN_ANSWERS_FILE:-.data/feed/dpan-answers.jsonl}
    hub health / ingest:       $HUB/health   POST $HUB/api/v1/events (Bearer demo-injus-token)
    recipient queues:          RABBITMQ_NODENAME=nazorg@localhost HOME=.data/rabbitmq /usr/lib/rabbitmq/bin/rabbitmqctl list_queues
    external system mocks:     http://localhost:${EXTERNAL_MOCKS_PORT:-4000}
  The feed simulates ${FEED_RATE:-2} events/s into Kafka topic injus.detention-events.v1.

INFO

# An app that exits with an error is started again (back-off per app: 1 s, 2 s, 4 s, ...) and the log
# says "[<app>] <command> restarted". concurrently would also restart what a SIGTERM or SIGHUP ends,
# so it runs in its own session and Ctrl-C, SIGTERM and SIGHUP reach it once, as SIGINT, from here.
setsid node_modules/.bin/concurrently --restart-tries -1 --restart-after exponential --names hub,ops,mocks,brp,income,schuldhulp,zorg,feed \
  "env $HUB_KAFKA node dist/apps/hub/src/main.js" \
  "bash scripts/wait-for-http.sh $HUB/health && env $OPS_KAFKA node dist/apps/ops/src/main.js" \
  "node dist/apps/external-mocks/src/main.js" \
  "bash scripts/wait-for-http.sh $HUB/health && node dist/apps/connector-brp/src/main.js" \
  "bash scripts/wait-for-http.sh $HUB/health && node dist/apps/connector-income/src/main.js" \
  "bash scripts/wait-for-http.sh $HUB/health && node dist/apps/connector-schuldhulp/src/main.js" \
  "bash scripts/wait-for-http.sh $HUB/health && node dist/apps/connector-zorg/src/main.js" \
  "bash scripts/wait-for-http.sh $HUB/health && env $FEED_KAFKA node dist/apps/feed/src/main.js simulate --rate ${FEED_RATE:-2}" &
apps=$!
trap 'trap "" INT TERM HUP; kill -INT "$apps" 2>/dev/null' INT TERM HUP
wait "$apps" || wait "$apps"
