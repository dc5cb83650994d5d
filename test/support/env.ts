/**
 * Integration tests run against the real services started by scripts/test.sh, isolated from the
 * demo (`npm start`): their own database, RabbitMQ virtual host and Kafka consumer group.
 * Set before any module is imported, because configuration is read at import.
 */
process.env.NAZORG_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'warn';
process.env.DATABASE_URL ??= 'postgres://nazorg:nazorg@localhost:5432/nazorg_test';
process.env.AMQP_URL ??= 'amqp://guest:guest@localhost:5672/nazorg-test';
// A fresh group per test file: a group still held by an earlier, interrupted run cannot block it.
process.env.KAFKA_GROUP_ID = `nazorg-hub-test-${process.pid}-${Date.now()}`;
process.env.DELIVERY_RETRY_BASE_MS = '100';
process.env.OUTBOX_POLL_MS = '200';
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
