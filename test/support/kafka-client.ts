import { Kafka, KafkaConfig, logLevel } from 'kafkajs';

/**
 * A kafkajs client for test tools (admin queries, raw produce and consume), logged in as one of
 * the demo principals that scripts/infra/kafka.sh creates: `hub` (a super user, as the hub's apps
 * in a test), `feed` (may only write the ingress topic), or `null` for a client without a login
 * (which a broker with SASL refuses). On a broker started with NAZORG_KAFKA_AUTH=none every
 * client connects without a login.
 */
export type KafkaPrincipal = 'hub' | 'feed' | 'admin' | 'ops';

export function testKafkaConfig(
  principal: KafkaPrincipal | null,
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  const config: KafkaConfig = {
    clientId: `nazorg-test-${principal ?? 'anonymous'}`,
    brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
    logLevel: logLevel.NOTHING,
    ...overrides,
  };
  if (principal && process.env.NAZORG_KAFKA_AUTH !== 'none') {
    const username = `nazorg-${principal}`;
    config.sasl = { mechanism: 'scram-sha-512', username, password: `demo-kafka-${username}` };
  }
  return config;
}

export const testKafka = (principal: KafkaPrincipal | null, overrides: Partial<KafkaConfig> = {}) =>
  new Kafka(testKafkaConfig(principal, overrides));
