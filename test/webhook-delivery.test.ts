import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ConfigError } from '@nazorg/config';
import { OutboxRelayService, verifyWebhook } from '@nazorg/delivery';
import { Events, HubHarness, writeTenantsFile } from '@nazorg/testing';

/**
 * CONTRACT section 3, webhook channel, through the real hub: a recipient configured with a URL
 * gets the CloudEvent POSTed, signed with `X-Hub-Signature-256` over the raw body with its secret
 * (named in the tenant file, held in the environment); a non-2xx answer is retried with back-off.
 */
describe('webhook delivery', () => {
  const SECRET_ENV = 'TEST_WESTLAND_COORDINATOR_WEBHOOK_SECRET';
  const SECRET = 'westland-coordinator-signing-secret';
  let server: Server;
  let hub: HubHarness | undefined;
  let answers: number[] = [];
  let redirect = false;
  const received: {
    body: string;
    signature: string | undefined;
    contentType: string | undefined;
    headers: Record<string, string | string[] | undefined>;
    path: string | undefined;
  }[] = [];
  let tenantsFile: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers['x-hub-signature-256'] as string | undefined,
          contentType: req.headers['content-type'],
          headers: req.headers,
          path: req.url,
        });
        if (redirect && req.url !== '/elsewhere') {
          res.statusCode = 302;
          res.setHeader('location', '/elsewhere');
        } else res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nazorg/events`;
    tenantsFile = writeTenantsFile((file) => {
      const coordinator = file.tenants
        .find((t) => t.id === 'westland')!
        .recipients.find((r) => r.id === 'coordinator-westland') as Record<string, unknown>;
      coordinator.channel = { type: 'webhook', url, secretEnv: SECRET_ENV };
    });
  });
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('POSTs each delivery signed with the recipient secret, retrying a non-2xx answer', async () => {
    hub = await HubHarness.start({ env: { TENANTS_FILE: tenantsFile, [SECRET_ENV]: SECRET } });
    answers = [503];
    const started = Events.started(undefined, { municipalityOfOrigin: '1783' });
    expect((await hub.postHttp(started)).status).toBe(202);

    const published = await hub.waitForCount(
      `select count(*) from delivery where recipient_id = 'coordinator-westland' and published_at is not null`,
      [],
      1,
    );
    expect(published).toBe(1);
    // Refused once (503), then accepted: the same delivery twice, each correctly signed.
    expect(received).toHaveLength(2);
    for (const { body, signature, contentType, headers } of received) {
      expect(contentType).toBe('application/cloudevents+json');
      expect(signature).toBe(`sha256=${createHmac('sha256', SECRET).update(body, 'utf8').digest('hex')}`);
      // And the Standard Webhooks signature over id, timestamp and body, which a receiver checks.
      const checked = verifyWebhook(headers, body, Buffer.from(SECRET), { toleranceSeconds: 300 });
      expect(checked).toMatchObject({ ok: true, id: JSON.parse(body).id });
    }
    expect(received[0].body).toBe(received[1].body);
    const event = JSON.parse(received[1].body);
    expect(event).toMatchObject({
      type: started.type,
      subject: started.subject,
      recipient: 'coordinator-westland',
      tenant: 'westland',
      correlationid: started.id,
    });
    expect(event.data.person.bsn).toBe(started.data.person.bsn);
    const [row] = await hub.db.query(
      `select publish_attempts, (select count(*) from disclosure_record r where r.delivery_id = d.id) as logged
       from delivery d where recipient_id = 'coordinator-westland'`,
    );
    expect(row).toMatchObject({ publish_attempts: 2, logged: '1' });
    // Nothing reached the RabbitMQ queue of the same id: the webhook is its only channel.
    expect(hub.probe.about(started.subject, 'coordinator-westland')).toEqual([]);
  });

  it('retries a recipient that keeps failing on its own schedule, not with every delivery to others', async () => {
    // A long first back-off: within this test the failing delivery is due exactly once.
    const harness = await HubHarness.start({
      env: { TENANTS_FILE: tenantsFile, [SECRET_ENV]: SECRET, DELIVERY_RETRY_BASE_MS: '60000' },
    });
    hub = harness;
    received.length = 0;
    answers = Array.from({ length: 50 }, () => 503);
    const down = Events.started(undefined, { municipalityOfOrigin: '1783' });
    expect((await harness.postHttp(down)).status).toBe(202);
    await harness.waitForCount(
      `select count(*) from delivery where recipient_id = 'coordinator-westland' and publish_attempts > 0`,
      [],
      1,
    );
    // Ten more detentions elsewhere, each waking the relay: all delivered, one at a time.
    for (let i = 0; i < 10; i++) {
      const other = Events.started(undefined, { municipalityOfOrigin: '0392' });
      expect((await harness.postHttp(other)).status).toBe(202);
      await harness.probe.waitFor(
        () => harness.probe.about(other.subject, 'coordinator-haarlem').length === 1,
      );
    }
    // The failing webhook was asked once, not on each of those passes; it waits for its next turn.
    expect(received).toHaveLength(1);
    const [row] = await harness.db.query(
      `select publish_attempts, published_at, next_attempt_at > clock_timestamp() + interval '30 seconds' as later
       from delivery where recipient_id = 'coordinator-westland'`,
    );
    expect(row).toMatchObject({ publish_attempts: 1, published_at: null, later: true });
    answers = [];
  });

  it('does not follow a redirect: the delivery is parked after one attempt, visible as failing', async () => {
    hub = await HubHarness.start({ env: { TENANTS_FILE: tenantsFile, [SECRET_ENV]: SECRET } });
    received.length = 0;
    redirect = true;
    try {
      const started = Events.started(undefined, { municipalityOfOrigin: '1783' });
      expect((await hub.postHttp(started)).status).toBe(202);
      await hub.waitForCount(
        `select count(*) from delivery where detention_id = $1 and recipient_id = 'coordinator-westland'
           and parked_at is not null`,
        [started.subject],
        1,
      );
      // Other recipients go on; wait for one of them, so several relay passes have run meanwhile.
      await hub.probe.waitFor(() => hub!.probe.about(started.subject, 'brp-westland').length === 1);
      await hub.app.get(OutboxRelayService).drain();
      const [row] = await hub.db.query(
        `select publish_attempts, published_at, last_error from delivery
         where detention_id = $1 and recipient_id = 'coordinator-westland'`,
        [started.subject],
      );
      expect(row).toMatchObject({ publish_attempts: 1, published_at: null });
      expect(row.last_error).toMatch(/redirect/);
      expect(received.map((r) => r.path)).toEqual(['/nazorg/events']);
    } finally {
      redirect = false;
    }
  });

  it('refuses to start when the secret is not in the environment, naming the variable', async () => {
    const start = HubHarness.start({ env: { TENANTS_FILE: tenantsFile, [SECRET_ENV]: '' } });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(
      new RegExp(`${SECRET_ENV}: the signing secret of webhook recipient coordinator-westland`),
    );
  });
});
