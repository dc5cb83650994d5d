#!/usr/bin/env bash
# A single-node Kafka in KRaft mode: broker jars from Maven Central (through Maven), Java 17,
# data under $DATA_DIR/kafka, on loopback. Usage: kafka.sh up|down
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

up() {
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    log "Kafka already listening on 127.0.0.1:$KAFKA_PORT: using it"
    return 0
  fi
  fetch_jars
  mkdir -p "$KAFKA_DIR/logs"
  cat >"$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
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
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" >/dev/null
  fi
  log "starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT"
  nohup java "${java_opts[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/logs/stdout.log" 2>&1 &
  echo $! >"$KAFKA_DIR/kafka.pid"
  wait_for_port Kafka 127.0.0.1 "$KAFKA_PORT" 120
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
