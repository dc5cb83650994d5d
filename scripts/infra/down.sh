#!/usr/bin/env bash
# Stops the services that scripts/infra/up.sh started (never ones it found already running elsewhere).
set -uo pipefail
dir="$(dirname "$0")"
bash "$dir/kafka.sh" down
bash "$dir/rabbitmq.sh" down
bash "$dir/postgres.sh" down
