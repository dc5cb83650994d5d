import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Browser, Page } from 'playwright-core';
import { ExternalMocksHarness } from '@nazorg/external-mocks';
import { IncidentView } from '@nazorg/monitoring';
import {
  refusePoisonInserts,
  CONSOLE_SHOTS,
  consoleLogin,
  consoleShot,
  eventually,
  Events,
  HubHarness,
  launchChromium,
  writeTenantsFile,
} from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

const STUCK_AFTER_SECONDS = 4;
const SECRET_ENV = 'TEST_CONSOLE_WEBHOOK_SECRET';

/**
 * What an operator sees in the console when something is stuck, on the real services: a poison
 * record holds one Kafka partition (a database trigger refuses it; INGRESS_CONTENT_FAILURE_ATTEMPTS is
 * high, so the hub keeps retrying it in place) and a coordinator's webhook refuses every delivery.
 * The channels page marks exactly that partition stuck within the configured time, the alerts page
 * and the banner show one incident per condition, and the alert mock received one alert for each.
 */
describe('operations console (browser): stuck channels and failing recipients', () => {
  let mocks: ExternalMocksHarness;
  let webhook: Server;
  let hub: HubHarness;
  let allowPoison: () => Promise<void>;
  let ops: INestApplication;
  let url: string;
  let browser: Browser;
  let page: Page;

  const alerts = async () =>
    (
      (await (await fetch(`${mocks.url}/alerts`)).json()) as {
        body: { status: string; incident: IncidentView };
      }[]
    )
      .filter((a) => a.body.status === 'raised')
      .map((a) => a.body.incident);

  beforeAll(async () => {
    mkdirSync(CONSOLE_SHOTS, { recursive: true });
    mocks = await ExternalMocksHarness.start();
    await fetch(`${mocks.url}/alerts`, { method: 'DELETE' });
    webhook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 503;
        res.end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/events`;
    const env = {
      TENANTS_FILE: writeTenantsFile((file) => {
        const coordinator = file.tenants
          .find((t) => t.id === 'westland')!
          .recipients.find((r) => r.id === 'coordinator-westland') as Record<string, unknown>;
        coordinator.channel = { type: 'webhook', url: webhookUrl, secretEnv: SECRET_ENV };
      }),
      [SECRET_ENV]: 'console-test-webhook-secret',
      INGRESS_CONTENT_FAILURE_ATTEMPTS: '1000',
      CHANNEL_STUCK_AFTER_SECONDS: String(STUCK_AFTER_SECONDS),
      RECIPIENT_FAILING_AFTER_ATTEMPTS: '3',
      MONITOR_INTERVAL_MS: '500',
      ALERT_WEBHOOK_URL: `${mocks.url}/alerts`,
    };
    hub = await HubHarness.start({ env });
    await hub.db.query(`truncate incident`);
    allowPoison = await refusePoisonInserts(hub.db);
    ops = await bootstrapOps({ port: 0, env: { ...process.env, ...env } });
    url = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    page = await (await consoleLogin(browser, url, 'demo-operator-token')).newPage();
  });

  afterAll(async () => {
    await allowPoison?.();
    await browser?.close();
    await ops?.close();
    await hub?.stop();
    await mocks?.app.close();
    await new Promise((resolve) => webhook?.close(resolve));
  });

  it('shows the partition a poison record holds as stuck within the configured time, with one alert', async () => {
    const poison = { ...Events.started(), id: `poison-${randomUUID()}` };
    const publishedAt = Date.now();
    await hub.publishKafka(poison, poison.subject);
    await hub.publishKafka(Events.started(), poison.subject);

    // As an operator would: reload the channels page until the partition is marked.
    const stuckRows = page.locator('tr[data-partition] [data-stuck="true"]');
    await eventually(
      async () => {
        await page.goto(`${url}/channels`);
        return (await stuckRows.count()) > 0;
      },
      30000,
      'a stuck partition on the channels page',
    );
    // For the closing note: poison record published → shown stuck in the console.
    console.warn(`console showed the stuck partition ${Date.now() - publishedAt} ms after the poison record`);
    expect(await stuckRows.count()).toBe(1);
    expect(await page.locator('tr[data-partition]').count()).toBe(6);
    await consoleShot(page, 'channels-stuck-partition');

    await eventually(
      async () => (await alerts()).some((i) => i.condition === 'channel-stuck'),
      15000,
      'the stuck-channel alert',
    );
    await new Promise((r) => setTimeout(r, 2000)); // several more ticks: still one alert
    expect((await alerts()).filter((i) => i.condition === 'channel-stuck')).toHaveLength(1);
    await page.goto(`${url}/alerts`);
    expect(
      await page
        .locator('tr[data-incident].active')
        .filter({ hasText: 'kafka:injus.detention-events.v1/' })
        .count(),
    ).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain(poison.subject);
  });

  it('raises one alert for a recipient that keeps failing, shown in the console and the banner', async () => {
    for (let i = 0; i < 3; i++)
      expect((await hub.postHttp(Events.started(undefined, { municipalityOfOrigin: '1783' }))).status).toBe(
        202,
      );
    await eventually(
      async () => (await alerts()).some((i) => i.condition === 'recipient-failing'),
      30000,
      'the recipient-failing alert',
    );
    await new Promise((r) => setTimeout(r, 2000));
    const failing = (await alerts()).filter((i) => i.condition === 'recipient-failing');
    expect(failing.map((i) => i.subject)).toEqual(['recipient:coordinator-westland']);
    await page.goto(`${url}/alerts`);
    const row = page.locator('tr[data-incident].active').filter({ hasText: 'coordinator-westland' });
    expect(await row.count()).toBe(1);
    await page.waitForSelector('[data-active-incidents]');
    const banner = Number(
      await page.locator('[data-active-incidents]').first().getAttribute('data-active-incidents'),
    );
    expect(banner).toBeGreaterThanOrEqual(2);
    await consoleShot(page, 'alerts-active');
    await page.goto(`${url}/channels`);
    await consoleShot(page, 'channels-failing-recipient');
  });
});
