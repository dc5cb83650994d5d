import { AppConfig } from '@nazorg/config';
import { InboundMessage } from '@nazorg/messaging';
import { IngestionService } from '../ingestion.service';
import { BrokerIngressController } from './broker-ingress.controller';
import { BrokerPublishers } from './broker-publishers';

/** When a Kafka record that keeps failing is parked, and when it is retried instead. */
describe('BrokerIngressController (Kafka)', () => {
  const message = (attempt: number): InboundMessage => ({
    body: Buffer.from('{}'),
    headers: {},
    channel: 'injus.detention-events.v1',
    key: 'k',
    attempt,
  });
  const failing = (parkFails = false) => {
    const parked: { attempts: number; failure: string }[] = [];
    const ingestion = {
      ingest: () => Promise.reject(new TypeError('cannot store 999990019')),
      park: (_input: Buffer, _channel: string, attempts: number, failure: string) => {
        if (parkFails) return Promise.reject(new Error('database away'));
        parked.push({ attempts, failure });
        return Promise.resolve('dead-letter-id');
      },
    } as unknown as IngestionService;
    const config = { INGRESS_PARK_AFTER_ATTEMPTS: 4 } as AppConfig;
    return { controller: new BrokerIngressController(ingestion, config, {} as BrokerPublishers), parked };
  };

  it('lets the adapter retry before the configured attempt', async () => {
    const { controller, parked } = failing();
    await expect(controller.fromKafka(message(3))).rejects.toThrow(TypeError);
    expect(parked).toEqual([]);
  });

  it('parks at the configured attempt with the error class only, and is done', async () => {
    const { controller, parked } = failing();
    await expect(controller.fromKafka(message(4))).resolves.toEqual({ kind: 'done' });
    expect(parked).toEqual([{ attempts: 4, failure: 'TypeError' }]);
  });

  it('keeps retrying when even parking fails (the database is away)', async () => {
    const { controller } = failing(true);
    await expect(controller.fromKafka(message(9))).rejects.toThrow('database away');
  });
});
