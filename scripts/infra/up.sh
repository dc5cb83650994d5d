#!/usr/bin/env bash
# Brings up whatever of PostgreSQL, RabbitMQ and Kafka is not already reachable. Idempotent.
set -euo pipefail
dir="$(dirname "$0")"
bash "$dir/postgres.sh" up
bash "$dir/rabbitmq.sh" up
bash "$dir/kafka.sh" up
