/**
 * Integration tests run against the real services started by scripts/test.sh, isolated from the
 * demo (`npm start`): their own database, RabbitMQ virtual host and Kafka consumer group.
 * Set before any module is imported, because configuration is read at import.
 */
process.env.NAZORG_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'warn';
process.env.DATABASE_URL ??= 'postgres://nazorg:nazorg@localhost:5432/nazorg_test';
// Without a login: each app in a test connects as its own user (the demo logins that
// scripts/infra/rabbitmq.sh creates on the vhost). A login given here (helper shells pass guest)
// stays available to test tools as TEST_AMQP_TOOL_URL.
const amqpUrl = new URL(process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672/nazorg-test');
process.env.TEST_AMQP_TOOL_URL ??= amqpUrl.toString();
amqpUrl.username = '';
amqpUrl.password = '';
process.env.AMQP_URL = amqpUrl.toString();
// A fresh group per test file: a group still held by an earlier, interrupted run cannot block it.
process.env.KAFKA_GROUP_ID = `nazorg-hub-test-${process.pid}-${Date.now()}`;
// The broker (scripts/infra/kafka.sh) takes SASL/SCRAM logins unless started with
// NAZORG_KAFKA_AUTH=none: the apps in a test log in as the hub; the harness publishes feed events
// as the feed (test/support/kafka-client.ts gives test tools the same logins).
process.env.NAZORG_KAFKA_AUTH ??= 'scram';
if (process.env.NAZORG_KAFKA_AUTH === 'scram') {
  process.env.KAFKA_SASL_MECHANISM ??= 'scram-sha-512';
  process.env.KAFKA_SASL_USERNAME ??= 'nazorg-hub';
  process.env.KAFKA_SASL_PASSWORD ??= 'demo-kafka-nazorg-hub';
  process.env.TEST_KAFKA_FEED_USERNAME ??= 'nazorg-feed';
  process.env.TEST_KAFKA_FEED_PASSWORD ??= 'demo-kafka-nazorg-feed';
}
process.env.DELIVERY_RETRY_BASE_MS = '100';
process.env.OUTBOX_POLL_MS = '200';
// A second hub takes over housekeeping quickly when the leader stops (ADR 0019).
process.env.LEADER_RETRY_MS = '300';
// The /metrics listeners of the connectors and the feed on any free port: tests run side by side
// with the demo and with each other.
for (const key of [
  'FEED_METRICS_PORT',
  'CONNECTOR_BRP_METRICS_PORT',
  'CONNECTOR_INCOME_METRICS_PORT',
  'CONNECTOR_SCHULDHULP_METRICS_PORT',
  'CONNECTOR_ZORG_METRICS_PORT',
])
  process.env[key] = '0';
