#!/usr/bin/env bash
# RabbitMQ from Debian's package, our own node with its data under $DATA_DIR/rabbitmq, on loopback.
# Usage: rabbitmq.sh up|down
source "$(dirname "$0")/lib.sh"

RMQ_DIR="$DATA_DIR/rabbitmq"
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-nazorg@localhost}"
export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
export RABBITMQ_LOG_BASE="$RMQ_DIR/log"
export RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq"
export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$AMQP_PORT"
export RABBITMQ_DIST_PORT="${NAZORG_RABBITMQ_DIST_PORT:-25672}"
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
# The Erlang cookie goes with the node's data, not with the user's home.
export HOME="$RMQ_DIR"

RMQ_LIB=/usr/lib/rabbitmq/bin

up() {
  if port_open 127.0.0.1 "$AMQP_PORT"; then
    log "RabbitMQ already listening on 127.0.0.1:$AMQP_PORT: using it"
  else
    if [ ! -x "$RMQ_LIB/rabbitmq-server" ]; then
      log "installing RabbitMQ (Debian package)"
      apt_install rabbitmq-server
    fi
    mkdir -p "$RMQ_DIR/log" "$RMQ_DIR/mnesia"
    cat >"$RMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
loopback_users.guest = true
log.file.level = warning
CONF
    echo "[]." >"$RMQ_DIR/enabled_plugins"
    log "starting RabbitMQ on 127.0.0.1:$AMQP_PORT"
    nohup "$RMQ_LIB/rabbitmq-server" >"$RMQ_DIR/log/stdout.log" 2>&1 &
    wait_for_port RabbitMQ 127.0.0.1 "$AMQP_PORT" 120
    "$RMQ_LIB/rabbitmqctl" -q await_startup >/dev/null 2>&1 || true
  fi
  # The test suite uses its own virtual host, so tests never touch the demo's queues.
  if [ -x "$RMQ_LIB/rabbitmqctl" ] && "$RMQ_LIB/rabbitmqctl" -q status >/dev/null 2>&1; then
    "$RMQ_LIB/rabbitmqctl" -q add_vhost nazorg-test >/dev/null 2>&1 || true
    "$RMQ_LIB/rabbitmqctl" -q set_permissions -p nazorg-test guest '.*' '.*' '.*' >/dev/null 2>&1 || true
  fi
}

down() {
  if [ -x "$RMQ_LIB/rabbitmqctl" ] && "$RMQ_LIB/rabbitmqctl" -q status >/dev/null 2>&1; then
    "$RMQ_LIB/rabbitmqctl" -q stop >/dev/null && log "RabbitMQ stopped"
  fi
}

"${1:-up}"
