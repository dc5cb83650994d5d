import { AppConfig } from '@nazorg/config';
import { InboundMessage } from '@nazorg/messaging';
import { IngestionService } from '../ingestion.service';
import { BrokerIngressController } from './broker-ingress.controller';
import { BrokerPublishers } from './broker-publishers';

/** When a feed event that keeps failing is parked, dead-lettered on the broker, or retried. */
describe.each(['kafka', 'rabbitmq'] as const)('BrokerIngressController (%s)', (channel) => {
  const message = (attempt: number): InboundMessage => ({
    body: Buffer.from('{}'),
    headers: {},
    channel: 'injus',
    key: 'k',
    attempt,
  });
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const nulByte = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
    name: 'QueryFailedError',
    driverError: { code: '22021' },
  });
  const failing = (ingestError: unknown, parkError?: unknown) => {
    const parked: { channel: string; attempts: number; failure: string }[] = [];
    const ingestion = {
      ingest: () => Promise.reject(ingestError),
      park: (_input: Buffer, ch: string, attempts: number, failure: string) => {
        if (parkError) return Promise.reject(parkError);
        parked.push({ channel: ch, attempts, failure });
        return Promise.resolve('dead-letter-id');
      },
    } as unknown as IngestionService;
    const config = { INGRESS_CONTENT_FAILURE_ATTEMPTS: 4 } as AppConfig;
    // A feed user that speaks for both sources: these cases are about failures, not publishers.
    const publishers = { feedSourcesOf: () => ['injus', 'dpan'] } as unknown as BrokerPublishers;
    const controller = new BrokerIngressController(ingestion, config, publishers);
    const handle = (m: InboundMessage) =>
      channel === 'kafka' ? controller.fromKafka(m) : controller.fromRabbitmq(m);
    return { handle, parked };
  };

  it('lets the adapter retry a content failure before the configured attempt', async () => {
    const { handle, parked } = failing(new TypeError('cannot store 999990019'));
    await expect(handle(message(3))).rejects.toThrow(TypeError);
    expect(parked).toEqual([]);
  });

  it('parks at the configured attempt with the error class only, and is done', async () => {
    const { handle, parked } = failing(new TypeError('cannot store 999990019'));
    await expect(handle(message(4))).resolves.toEqual({ kind: 'done' });
    expect(parked).toEqual([{ channel, attempts: 4, failure: 'TypeError' }]);
  });

  it('never parks an infrastructure failure, however often it came', async () => {
    const { handle, parked } = failing(refused);
    await expect(handle(message(1000))).rejects.toBe(refused);
    expect(parked).toEqual([]);
  });

  it('keeps retrying when parking fails because the database is away', async () => {
    const { handle } = failing(new TypeError('x'), refused);
    await expect(handle(message(9))).rejects.toBe(refused);
  });

  it('rejects to the broker dead letter when parking fails on the input itself', async () => {
    const { handle } = failing(nulByte, new RangeError('Maximum call stack size exceeded'));
    await expect(handle(message(4))).resolves.toEqual({
      kind: 'reject',
      reason:
        'could not be stored after 4 attempts (QueryFailedError), nor kept as a dead letter (RangeError)',
    });
  });
});
