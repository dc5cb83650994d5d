#!/usr/bin/env bash
# A single-node Kafka in KRaft mode: broker jars from Maven Central (through Maven), Java 17,
# data under $DATA_DIR/kafka, on loopback. Usage: kafka.sh up|down|reset
# By default (NAZORG_KAFKA_AUTH=scram) the client listener takes SASL/SCRAM-SHA-512 logins (created
# at format time) and StandardAuthorizer ACLs apply (docs/adr/0017); the controller listener stays
# PLAINTEXT on loopback. NAZORG_KAFKA_AUTH=none runs a plain listener (no logins, no ACLs) for a
# client that cannot log in. A data directory formatted in the other mode is refused: `reset`
# removes it (the broker's records only: the hub's state is in PostgreSQL) and starts afresh.
source "$(dirname "$0")/lib.sh"

KAFKA_DIR="$DATA_DIR/kafka"
LIBS="$KAFKA_DIR/libs-$KAFKA_VERSION"

fetch_jars() {
  [ -f "$LIBS/.complete" ] && return 0
  command -v mvn >/dev/null || apt_install maven
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  mkdir -p "$LIBS"
  mvn -q -B -f "$REPO_ROOT/infra/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime
  touch "$LIBS/.complete"
}

KAFKA_AUTH="${NAZORG_KAFKA_AUTH:-scram}"
# Demo logins (a production start refuses demo passwords): an admin super user, the hub (also a
# super user: it creates its topics and its tests' consumer groups), the feed, and ops (reads the
# hub's consumer positions and the ingress topic's records for the console's Kafka health).
KAFKA_USERS=(nazorg-admin nazorg-hub nazorg-feed nazorg-ops)

listener_properties() {
  if [ "$KAFKA_AUTH" = scram ]; then
    cat <<PROPS
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="nazorg-admin" password="demo-kafka-nazorg-admin";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
# ANONYMOUS: the broker's own requests on the loopback-only PLAINTEXT controller listener.
super.users=User:nazorg-admin;User:nazorg-hub;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
PROPS
  else
    cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
PROPS
  fi
}

admin_properties() {
  cat >"$KAFKA_DIR/admin.properties" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="nazorg-admin" password="demo-kafka-nazorg-admin";
PROPS
}

# The feed may write the ingress topic and read the DPAN answers with its own groups; nothing else.
feed_acls() {
  admin_properties
  local acl=(java "${java_opts[@]}" kafka.admin.AclCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$KAFKA_DIR/admin.properties")
  local i
  # The broker may still be registering when its port opens.
  for ((i = 0; i < 20; i++)); do "${acl[@]}" --list >/dev/null 2>&1 && break; sleep 1; done
  "${acl[@]}" --add --allow-principal User:nazorg-feed --producer --topic injus.detention-events.v1 >/dev/null
  "${acl[@]}" --add --allow-principal User:nazorg-feed --consumer --topic dpan.municipal-info.v1 \
    --group nazorg-feed --resource-pattern-type prefixed >/dev/null
  touch "$KAFKA_DIR/data/.acls"
}

# Ops may read the hub's group positions (Describe) and the ingress topic's records with probe
# groups of its own (`<client id>-probe-...`, never committed): the console's Kafka lag and stuck
# partitions. Its login is added here too, for a broker formatted before ops had one. A failure is
# reported, not fatal: only the console's Kafka health is missing then.
ops_acls() {
  admin_properties
  local cc=(java "${java_opts[@]}" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$KAFKA_DIR/admin.properties")
  local acl=(java "${java_opts[@]}" kafka.admin.AclCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$KAFKA_DIR/admin.properties")
  if "${cc[@]}" --alter --entity-type users --entity-name nazorg-ops \
    --add-config 'SCRAM-SHA-512=[password=demo-kafka-nazorg-ops]' >/dev/null 2>&1 &&
    "${acl[@]}" --add --allow-principal User:nazorg-ops --operation Describe --group nazorg-hub >/dev/null 2>&1 &&
    "${acl[@]}" --add --allow-principal User:nazorg-ops --consumer --topic injus.detention-events.v1 \
      --group nazorg-hub-probe- --resource-pattern-type prefixed >/dev/null 2>&1; then
    touch "$KAFKA_DIR/data/.ops-acls"
  else
    log "could not give ops its Kafka login and ACLs: the console will show no Kafka health"
  fi
}

up() {
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    log "Kafka already listening on 127.0.0.1:$KAFKA_PORT: using it"
    mode_matches || log "that broker's data is not formatted for NAZORG_KAFKA_AUTH=$KAFKA_AUTH: clients will fail to log in; run: bash scripts/infra/kafka.sh reset"
    return 0
  fi
  fetch_jars
  mkdir -p "$KAFKA_DIR/logs"
  cat >"$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
$(listener_properties)
log.dirs=$KAFKA_DIR/data
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat >"$KAFKA_DIR/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$KAFKA_DIR/logs/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS
  local java_opts=(-Xms256m -Xmx1g -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" -cp "$LIBS/*")
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    local scram=() user
    if [ "$KAFKA_AUTH" = scram ]; then
      for user in "${KAFKA_USERS[@]}"; do scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=demo-kafka-$user]"); done
    fi
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" "${scram[@]}" >/dev/null
    [ "$KAFKA_AUTH" = scram ] && touch "$KAFKA_DIR/data/.scram"
  elif ! mode_matches; then
    log "$KAFKA_DIR/data was formatted for the other NAZORG_KAFKA_AUTH mode (now $KAFKA_AUTH): run: bash scripts/infra/kafka.sh reset"
    return 1
  fi
  log "starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT"
  nohup java "${java_opts[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/logs/stdout.log" 2>&1 &
  echo $! >"$KAFKA_DIR/kafka.pid"
  wait_for_port Kafka 127.0.0.1 "$KAFKA_PORT" 120
  if [ "$KAFKA_AUTH" = scram ] && [ ! -f "$KAFKA_DIR/data/.acls" ]; then feed_acls; fi
  if [ "$KAFKA_AUTH" = scram ] && [ ! -f "$KAFKA_DIR/data/.ops-acls" ]; then ops_acls; fi
}

# Whether the data directory (if any) was formatted for this mode: SCRAM logins exist only if
# they were added at format time.
mode_matches() {
  [ -f "$KAFKA_DIR/data/meta.properties" ] || return 0
  if [ "$KAFKA_AUTH" = scram ]; then [ -f "$KAFKA_DIR/data/.scram" ]; else [ ! -f "$KAFKA_DIR/data/.scram" ]; fi
}

reset() {
  down
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    log "a Kafka not started from $KAFKA_DIR listens on 127.0.0.1:$KAFKA_PORT: stop it first"
    return 1
  fi
  rm -rf "$KAFKA_DIR/data"
  log "removed $KAFKA_DIR/data"
  up
}

down() {
  if [ -f "$KAFKA_DIR/kafka.pid" ] && kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null; then
    kill "$(cat "$KAFKA_DIR/kafka.pid")"
    local i
    for ((i = 0; i < 60; i++)); do kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null || break; sleep 0.5; done
    rm -f "$KAFKA_DIR/kafka.pid"
    log "Kafka stopped"
  fi
}

"${1:-up}"
