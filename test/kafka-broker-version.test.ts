import { readFileSync } from 'node:fs';
import { ConfigResourceTypes } from 'kafkajs';
import { testKafka } from './support';

/**
 * Kafka 4 removed old protocol versions (KIP-896) that kafkajs may still ask for. This proves the
 * client works against the broker version we pin (scripts/infra/lib.sh); the adapter conformance
 * suite proves produce, consume, commit and redelivery on it.
 */
const pinned = /KAFKA_VERSION="\$\{NAZORG_KAFKA_VERSION:-([\d.]+)\}"/.exec(
  readFileSync(`${__dirname}/../scripts/infra/lib.sh`, 'utf8'),
)?.[1];

describe('Kafka broker version', () => {
  it('is the pinned version, and kafkajs speaks to it', async () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const kafka = testKafka('hub');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.length).toBeGreaterThan(0);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: String(cluster.brokers[0].nodeId),
            configNames: ['inter.broker.protocol.version'],
          },
        ],
      });
      const version = configs.resources[0].configEntries.find(
        (c) => c.configName === 'inter.broker.protocol.version',
      );
      const [major, minor] = (pinned as string).split('.');
      expect(version?.configValue).toMatch(new RegExp(`^${major}\\.${minor}-IV`));
    } finally {
      await admin.disconnect();
    }
  });
});
