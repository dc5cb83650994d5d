import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, DetentionEventType, FeedSource } from '@nazorg/contracts';
import { AmqpOutgoing, AmqpPublisherPort, EventLogOutgoing, EventLogPort } from '@nazorg/messaging';
import { FeedEventRefusedError } from './feed-sink.port';
import { HttpFeedSink } from './http-feed.sink';
import { KafkaFeedSink } from './kafka-feed.sink';
import { RabbitmqFeedSink } from './rabbitmq-feed.sink';

const event = (type: string, source: string): CloudEvent<object> => ({
  specversion: '1.0',
  id: 'e-1',
  source,
  type,
  time: '2026-11-25T12:00:00Z',
  subject: 'DJI-SIM-1',
  datacontenttype: 'application/json',
  data: { detentionId: 'DJI-SIM-1', person: { bsn: '999912343' } },
});
const started = event(DetentionEventType.DETENTION_STARTED, FeedSource.INJUS);
const screening = event(DetentionEventType.SCREENING_COMPLETED, FeedSource.DPAN);

describe('KafkaFeedSink', () => {
  it('publishes to injus.detention-events.v1 keyed by detentionId, the topic ensured once', async () => {
    const published: { topic: string; messages: EventLogOutgoing[] }[] = [];
    const ensured: unknown[] = [];
    const log = {
      publish: async (topic: string, messages: EventLogOutgoing[]) =>
        void published.push({ topic, messages }),
      ensureTopics: async (topics: unknown) => void ensured.push(topics),
    } as unknown as EventLogPort;
    const sink = new KafkaFeedSink(log);
    await sink.send(started);
    await sink.send(screening);
    expect(ensured).toEqual([[{ topic: 'injus.detention-events.v1', partitions: 6 }]]);
    expect(published.map((p) => p.topic)).toEqual(['injus.detention-events.v1', 'injus.detention-events.v1']);
    expect(published[0].messages[0].key).toBe('DJI-SIM-1');
    expect(JSON.parse(String(published[0].messages[0].value))).toEqual(started);
  });

  it('asks for the topic again after a failed attempt', async () => {
    let attempts = 0;
    const log = {
      publish: async () => undefined,
      ensureTopics: async () => {
        if (++attempts === 1) throw new Error('broker down');
      },
    } as unknown as EventLogPort;
    const sink = new KafkaFeedSink(log);
    await expect(sink.send(started)).rejects.toThrow('broker down');
    await sink.send(started);
    expect(attempts).toBe(2);
  });
});

describe('RabbitmqFeedSink', () => {
  it('publishes to the injus.events exchange with the type as routing key and the id as message id', async () => {
    const sent: AmqpOutgoing[] = [];
    const publisher: AmqpPublisherPort = {
      publish: async (m) => void sent.push(m),
      publishAll: async (ms) => void sent.push(...ms),
    };
    await new RabbitmqFeedSink(publisher).send(screening);
    expect(sent).toEqual([
      {
        exchange: 'injus.events',
        routingKey: DetentionEventType.SCREENING_COMPLETED,
        body: JSON.stringify(screening),
        messageId: 'e-1',
        contentType: 'application/cloudevents+json',
      },
    ]);
  });
});

describe('HttpFeedSink', () => {
  let server: Server;
  let url: string;
  let status = 202;
  const requests: { url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ url: req.url, headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: 'rejected', detail: 'person.bsn 999912343 is wrong' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests.length = 0;
    status = 202;
  });

  const config = Object.assign(new AppConfig(), {
    INGEST_TOKEN_INJUS: 'injus-token-for-tests',
    INGEST_TOKEN_DPAN: 'dpan-token-for-tests',
  });

  it('posts the CloudEvent with the bearer token of its source', async () => {
    const sink = new HttpFeedSink(config, `${url}/`);
    await sink.send(started);
    await sink.send(screening);
    expect(requests.map((r) => r.url)).toEqual(['/api/v1/events', '/api/v1/events']);
    expect(requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer injus-token-for-tests',
      'Bearer dpan-token-for-tests',
    ]);
    expect(requests[0].headers['content-type']).toBe('application/cloudevents+json');
    expect(JSON.parse(requests[0].body)).toEqual(started);
  });

  it('throws on a non-2xx answer with the status only, never the body', async () => {
    const sink = new HttpFeedSink(config, url);
    status = 503;
    const failure = await sink.send(started).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(FeedEventRefusedError);
    expect((failure as Error).message).toBe('hub answered 503');
    status = 400;
    const refused = await sink.send(started).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(FeedEventRefusedError);
    expect((refused as Error).message).toBe('hub answered 400');
  });

  it('defaults to the hub on localhost at HUB_HTTP_PORT', async () => {
    const port = Number(new URL(url).port);
    const sink = new HttpFeedSink(Object.assign(new AppConfig(), { HUB_HTTP_PORT: port }));
    await sink.send(started);
    expect(requests).toHaveLength(1);
  });
});
