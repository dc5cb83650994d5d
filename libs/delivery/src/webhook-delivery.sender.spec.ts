import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig, ConfigError, TenantsFile, WebhookSecrets } from '@nazorg/config';
import { PendingDelivery } from '@nazorg/persistence';
import { WebhookDeliverySender } from './webhook-delivery.sender';

/** The webhook channel against a real local HTTP server (a recipient's endpoint). */
describe('WebhookDeliverySender', () => {
  let server: Server;
  let url: string;
  let status = 200;
  const received: { body: string; signature: string | undefined; contentType: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers['x-hub-signature-256'] as string | undefined,
          contentType: req.headers['content-type'],
        });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  const delivery = (id: string, secretEnv = 'TEST_WEBHOOK_SECRET'): PendingDelivery => ({
    id,
    recipientId: 'coordinator-x',
    recipientKind: 'coordinator',
    tenantId: 'x',
    detentionId: 'D',
    channel: { type: 'webhook', url, secretEnv },
    exchange: '',
    routingKey: '',
    message: { specversion: '1.0', id, type: 't', subject: 'D', data: { detentionId: 'D' } },
    disclosedPaths: ['detentionId'],
    publishAttempts: 0,
    privacyProfileVersion: 'contract-v1.0',
  });
  const webhookRecipient = (secretEnv: string) =>
    ({
      tenants: [
        {
          id: 'x',
          recipients: [{ id: 'coordinator-x', channel: { type: 'webhook', url: 'http://x', secretEnv } }],
        },
      ],
      sharedRecipients: [],
    }) as unknown as TenantsFile;
  const secrets = new WebhookSecrets({ TEST_WEBHOOK_SECRET: 'a-recipient-secret' });
  const sender = new WebhookDeliverySender(
    Object.assign(new AppConfig(), { CONNECTOR_HTTP_TIMEOUT_MS: 2000 }),
    secrets,
    webhookRecipient('TEST_WEBHOOK_SECRET'),
  );

  it('POSTs the CloudEvent signed with HMAC-SHA256 of the raw body', async () => {
    const report = await sender.send([delivery('d-1')]);
    expect(report).toEqual({ sent: ['d-1'], failed: [] });
    const [got] = received;
    expect(got.contentType).toBe('application/cloudevents+json');
    expect(JSON.parse(got.body)).toMatchObject({ id: 'd-1', subject: 'D' });
    const expected = createHmac('sha256', 'a-recipient-secret').update(got.body).digest('hex');
    expect(got.signature).toBe(`sha256=${expected}`);
  });

  it('reports a non-2xx answer as failed (the relay retries it), per delivery', async () => {
    status = 503;
    const report = await sender.send([delivery('d-2')]);
    expect(report.sent).toEqual([]);
    expect(report.failed).toEqual([{ id: 'd-2', error: 'webhook answered 503' }]);
  });

  it('fails a delivery whose secret is not configured, without sending it', async () => {
    const report = await sender.send([delivery('d-3', 'NO_SUCH_SECRET_ENV')]);
    expect(report.failed[0].id).toBe('d-3');
    expect(received).toEqual([]);
  });

  it("refuses to start without a webhook recipient's secret, naming its variable", () => {
    expect(() => sender.onModuleInit()).not.toThrow();
    const missing = new WebhookDeliverySender(
      new AppConfig(),
      secrets,
      webhookRecipient('NO_SUCH_SECRET_ENV'),
    );
    expect(() => missing.onModuleInit()).toThrow(ConfigError);
    expect(() => missing.onModuleInit()).toThrow(
      /NO_SUCH_SECRET_ENV: the signing secret of webhook recipient coordinator-x/,
    );
    const short = new WebhookDeliverySender(
      new AppConfig(),
      new WebhookSecrets({ S: 'short' }),
      webhookRecipient('S'),
    );
    expect(() => short.onModuleInit()).toThrow(/S: the signing secret/);
  });
});
