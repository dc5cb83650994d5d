import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig, ConfigError, TenantsFile, WebhookSecrets } from '@nazorg/config';
import { PendingDelivery } from '@nazorg/persistence';
import { WebhookDeliverySender } from './webhook-delivery.sender';
import { isInternalAddress } from './webhook-destination';
import { standardWebhookSignature, verifyWebhook } from './webhook-signature';

/** The webhook channel against a real local HTTP server (a recipient's endpoint). */
describe('WebhookDeliverySender', () => {
  let server: Server;
  let url: string;
  let status = 200;
  let redirectTo: string | undefined;
  const received: {
    body: string;
    signature: string | undefined;
    contentType: string | undefined;
    headers: IncomingMessage['headers'];
    path: string | undefined;
  }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers['x-hub-signature-256'] as string | undefined,
          contentType: req.headers['content-type'],
          headers: req.headers,
          path: req.url,
        });
        res.statusCode = status;
        if (redirectTo && req.url !== '/moved') res.setHeader('location', redirectTo);
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
    redirectTo = undefined;
  });

  const delivery = (id: string, secretEnv = 'TEST_WEBHOOK_SECRET', to = url): PendingDelivery => ({
    id,
    recipientId: 'coordinator-x',
    recipientKind: 'coordinator',
    tenantId: 'x',
    detentionId: 'D',
    channel: { type: 'webhook', url: to, secretEnv },
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
  const configWith = (settings: Partial<AppConfig>) =>
    Object.assign(new AppConfig(), {
      CONNECTOR_HTTP_TIMEOUT_MS: 2000,
      WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      ...settings,
    });
  const sender = new WebhookDeliverySender(configWith({}), secrets, webhookRecipient('TEST_WEBHOOK_SECRET'));

  it('POSTs the CloudEvent signed with HMAC-SHA256 of the raw body', async () => {
    const report = await sender.send([delivery('d-1')]);
    expect(report).toEqual({ sent: ['d-1'], failed: [] });
    const [got] = received;
    expect(got.contentType).toBe('application/cloudevents+json');
    expect(JSON.parse(got.body)).toMatchObject({ id: 'd-1', subject: 'D' });
    const expected = createHmac('sha256', 'a-recipient-secret').update(got.body).digest('hex');
    expect(got.signature).toBe(`sha256=${expected}`);
  });

  it('signs id, timestamp and body the Standard Webhooks way; a replay with an old timestamp is detected', async () => {
    await sender.send([delivery('d-sw')]);
    const [got] = received;
    const key = Buffer.from('a-recipient-secret');
    expect(got.headers['webhook-id']).toBe('d-sw');
    const timestamp = Number(got.headers['webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(got.headers['webhook-signature']).toBe(standardWebhookSignature(key, 'd-sw', timestamp, got.body));
    expect(verifyWebhook(got.headers, got.body, key, { toleranceSeconds: 300 })).toEqual({
      ok: true,
      id: 'd-sw',
      timestamp,
    });
    // The same capture replayed ten minutes later, and with a timestamp moved forward by the attacker.
    const later = new Date((timestamp + 600) * 1000);
    expect(verifyWebhook(got.headers, got.body, key, { toleranceSeconds: 300, now: later })).toEqual({
      ok: false,
      reason: 'stale-timestamp',
    });
    const moved = { ...got.headers, 'webhook-timestamp': String(timestamp + 600) };
    expect(verifyWebhook(moved, got.body, key, { toleranceSeconds: 300, now: later })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyWebhook(got.headers, `${got.body} `, key, { toleranceSeconds: 300 })).toMatchObject({
      ok: false,
    });
  });

  it('does not follow a redirect: a refusal (parked), not a failure retried for ever', async () => {
    status = 307;
    redirectTo = url.replace('/hook', '/moved');
    const report = await sender.send([delivery('d-r')]);
    expect(report.sent).toEqual([]);
    expect(report.failed).toEqual([{ id: 'd-r', error: expect.stringContaining('redirect'), refused: true }]);
    expect(received.map((r) => r.path)).toEqual(['/hook']);
  });

  it('refuses plain http in production, at start (naming the recipient) and per delivery', async () => {
    const production = new WebhookDeliverySender(
      configWith({ NAZORG_ENV: 'production' }),
      secrets,
      webhookRecipient('TEST_WEBHOOK_SECRET'),
    );
    expect(() => production.onModuleInit()).toThrow(
      /coordinator-x channel\.url: webhook refused \(insecure-url\)/,
    );
    const report = await production.send([delivery('d-p')]);
    expect(report.failed).toEqual([
      { id: 'd-p', error: expect.stringContaining('insecure-url'), refused: true },
    ]);
    expect(received).toEqual([]);
  });

  it('refuses an internal address unless its host is allowed, also when a name resolves to it', async () => {
    const strict = new WebhookDeliverySender(
      configWith({ WEBHOOK_ALLOWED_PRIVATE_HOSTS: '' }),
      secrets,
      webhookRecipient('TEST_WEBHOOK_SECRET'),
    );
    const byName = url.replace('127.0.0.1', 'localhost');
    const report = await strict.send([delivery('d-ip'), delivery('d-name', undefined, byName)]);
    expect(report.sent).toEqual([]);
    expect(report.failed).toEqual([
      { id: 'd-ip', error: expect.stringContaining('private-address'), refused: true },
      { id: 'd-name', error: expect.stringContaining('private-address'), refused: true },
    ]);
    expect(received).toEqual([]);
    // Allowed by name: the socket's own lookup lets the name through.
    const named = new WebhookDeliverySender(
      configWith({ WEBHOOK_ALLOWED_PRIVATE_HOSTS: 'localhost' }),
      secrets,
      webhookRecipient('TEST_WEBHOOK_SECRET'),
    );
    expect(await named.send([delivery('d-ok', undefined, byName)])).toEqual({ sent: ['d-ok'], failed: [] });
  });

  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:10.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
  ])('%s is internal: %s', (address, internal) => {
    expect(isInternalAddress(address)).toBe(internal);
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
