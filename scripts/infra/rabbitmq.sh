#!/usr/bin/env bash
# RabbitMQ from Debian's package, our own node with its data under $DATA_DIR/rabbitmq, on loopback.
# Usage: rabbitmq.sh up|down|users <vhost>...
#   users: creates the apps' users (demo passwords) with least-privilege permissions on each vhost
#   (idempotent); `up` does it for `/` (demo) and `nazorg-test` (tests). See docs/adr/0010.
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
# The Erlang cookie goes with the node's data, not with the user's home (NAZORG_RABBITMQ_HOME: a node
# started from another data directory).
export HOME="${NAZORG_RABBITMQ_HOME:-$RMQ_DIR}"

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
    users / nazorg-test
  fi
}

ctl() { "$RMQ_LIB/rabbitmqctl" -q "$@"; }

# One user per app (the names and demo passwords of libs/config/src/broker-identity.ts). Permissions
# are regexes on exchange/queue names: configure, write, read. Topic permissions limit a connector's
# routing keys on the retry and dead-letter exchanges to its own queues.
users() { # vhost...
  local existing vhost kind user
  existing=" $(ctl list_users --no-table-headers 2>/dev/null | awk '{print $1}' | tr '\n' ' ') "
  for app in hub ops feed-injus feed-dpan connector-brp connector-income connector-schuldhulp connector-zorg; do
    user="nazorg-$app"
    if [[ "$existing" == *" $user "* ]]; then
      ctl change_password "$user" "demo-amqp-$app" >/dev/null
    else
      ctl add_user "$user" "demo-amqp-$app" >/dev/null
    fi
  done
  for vhost in "$@"; do
    ctl add_vhost "$vhost" >/dev/null 2>&1 || true
    # guest stays for tools and tests that act as the broker's operator (never a production login:
    # the hub refuses its messages, a production start refuses it).
    case "$vhost" in nazorg-test | nazorg-faults) ctl set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null ;; esac
    # The hub owns the topology: it declares everything, publishes deliveries, consumes ingress and results.
    ctl set_permissions -p "$vhost" nazorg-hub '.*' '.*' '.*' >/dev/null
    # Ops counts and moves dead letters back (through the default exchange).
    ctl set_permissions -p "$vhost" nazorg-ops '^$' '^amq\.default$' '^dead\..*$' >/dev/null
    # The feed only publishes feed events, one user per source.
    ctl set_permissions -p "$vhost" nazorg-feed-injus '^$' '^injus\.events$' '^$' >/dev/null
    ctl set_permissions -p "$vhost" nazorg-feed-dpan '^$' '^injus\.events$' '^$' >/dev/null
    # A connector reads its kind's recipient queues and publishes results, retries and dead letters.
    for kind in brp income schuldhulp zorg; do
      user="nazorg-connector-$kind"
      ctl set_permissions -p "$vhost" "$user" '^$' '^hub\.(results|retry|dead-letter)$' "^recipient\\.$kind-.*\$" >/dev/null
      ctl set_topic_permissions -p "$vhost" "$user" hub.retry "^recipient\\.$kind-.*\$" '^$' >/dev/null
      ctl set_topic_permissions -p "$vhost" "$user" hub.dead-letter "^recipient\\.$kind-.*\$" '^$' >/dev/null
    done
    log "RabbitMQ users and permissions set on vhost $vhost"
  done
}

down() {
  if [ -x "$RMQ_LIB/rabbitmqctl" ] && "$RMQ_LIB/rabbitmqctl" -q status >/dev/null 2>&1; then
    "$RMQ_LIB/rabbitmqctl" -q stop >/dev/null && log "RabbitMQ stopped"
  fi
}

"${1:-up}" "${@:2}"
