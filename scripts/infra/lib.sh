#!/usr/bin/env bash
# Shared helpers for the infrastructure scripts. Everything lives under $NAZORG_DATA_DIR
# (default: <repo>/.data, git-ignored) and listens on loopback only.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="${NAZORG_DATA_DIR:-$REPO_ROOT/.data}"
mkdir -p "$DATA_DIR"

PG_HOST="${PGHOST:-127.0.0.1}"
PG_PORT="${PGPORT:-5432}"
PG_USER="${PGUSER:-nazorg}"
PG_PASSWORD="${PGPASSWORD:-nazorg}"
AMQP_PORT="${NAZORG_AMQP_PORT:-5672}"
KAFKA_PORT="${NAZORG_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${NAZORG_KAFKA_CONTROLLER_PORT:-9093}"
# Pinned broker version: see README "Kafka version" and docs/adr/0003-kafka-broker-version.md.
KAFKA_VERSION="${NAZORG_KAFKA_VERSION:-3.9.1}"

log() { printf '[infra] %s\n' "$*"; }

port_open() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&-
}

wait_for_port() { # name host port seconds
  local i
  for ((i = 0; i < $4 * 2; i++)); do
    if port_open "$2" "$3"; then return 0; fi
    sleep 0.5
  done
  log "$1 did not open $2:$3 within $4 s"
  return 1
}

apt_updated=""
apt_install() { # packages...
  export DEBIAN_FRONTEND=noninteractive
  # Debian's maintainer scripts would start system-wide services on their default data
  # directories; we run our own instances under $DATA_DIR instead, so keep them from starting.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
  fi
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

as_user() { # user command...
  local user="$1"
  shift
  if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}
