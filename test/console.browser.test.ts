import { mkdirSync } from 'node:fs';
import { INestApplication } from '@nestjs/common';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import {
  CONSOLE_SHOTS,
  consoleLogin,
  consoleShot,
  Events,
  HubHarness,
  launchChromium,
} from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * The operations console in Debian's Chromium (scripts/infra/chromium.sh), against the real hub
 * and ops app: live counts and charts, failures and their replay, every view, and what each role
 * may see. Screenshots of every view go to test-artifacts/console/.
 */
/** What the page's scripts expose, as seen from page.evaluate (the tests compile without DOM types). */
type PageGlobals = {
  Chart: {
    getChart(id: string): { data: { labels: string[]; datasets: { label: string; data: number[] }[] } };
  };
  consoleFlows?: { updates: number };
  document: { querySelector(selector: string): { textContent: string | null } | null };
};

const OPERATOR = 'demo-operator-token';
const WESTLAND = 'demo-coordinator-westland-token';

describe('operations console (browser)', () => {
  let hub: HubHarness;
  let ops: INestApplication;
  let url: string;
  let browser: Browser;
  let operator: BrowserContext;
  let page: Page;
  let pseudonym: (id: string) => string;
  /** Every response body the operator's browser received (event streams are checked apart). */
  const operatorResponses: { url: string; body: string }[] = [];
  const pending: Promise<void>[] = [];

  const eemland = Events.started(undefined, { municipalityOfOrigin: '0307' });
  const westland = Events.started(undefined, { municipalityOfOrigin: '1783' });
  // Notified ten days after the start: the 2-day notification deadline is missed.
  const late = Events.started(undefined, {
    municipalityOfOrigin: '0307',
    startedAt: new Date(Date.now() - 10 * 86400_000).toISOString(),
  });
  const secrets = () => [
    '999990019',
    'Piet',
    'Vries',
    '1991-04-02',
    'Casemanager',
    eemland.subject,
    westland.subject,
    late.subject,
  ];

  const shot = consoleShot;
  const count = (p: Page, key: string) =>
    p
      .locator(`[data-count="${key}"]`)
      .first()
      .textContent()
      .then((t) => Number(t));
  const ingressChartTotal = (p: Page) =>
    p.evaluate(() => {
      const chart = (globalThis as unknown as PageGlobals).Chart.getChart('chart-ingress');
      return Object.fromEntries(chart.data.datasets.map((d) => [d.label, d.data.reduce((a, b) => a + b, 0)]));
    });

  const loggedIn = (token: string) => consoleLogin(browser, url, token);

  beforeAll(async () => {
    mkdirSync(CONSOLE_SHOTS, { recursive: true });
    hub = await HubHarness.start();
    ops = await bootstrapOps({ port: 0 });
    url = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    const key = ops.get<PseudonymizerPort>(PSEUDONYMIZER);
    pseudonym = (id) => key.pseudonym(id);
    await hub.postHttp(eemland);
    await hub.publishKafka(westland);
    await hub.postHttp(late);
    await hub.waitForCount(`select count(*) from inbound_event`, [], 3);
    await hub.waitUntil(async () => {
      const [{ n }] = await hub.db.query(`select count(*) n from case_alert where deadline = 'notification'`);
      return Number(n) >= 1;
    }, 20000);
    browser = await launchChromium();
    operator = await loggedIn(OPERATOR);
    page = await operator.newPage();
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (type.startsWith('text/event-stream')) return;
      pending.push(
        response
          .text()
          .then((body) => void operatorResponses.push({ url: response.url(), body }))
          .catch(() => undefined),
      );
    });
  });

  afterAll(async () => {
    await browser?.close();
    await ops?.close();
    await hub?.stop();
  });

  it('sends a browser without a session to the login page, and refuses a wrong token', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${url}/failures`);
    expect(p.url()).toBe(`${url}/login`);
    await p.fill('input[name=token]', 'not-a-token');
    await p.click('form.login button');
    await expect(p.locator('.error').textContent()).resolves.toContain('not valid');
    await shot(p, 'login');
    const cookies = await operator.cookies();
    expect(cookies.find((c) => c.name === 'nazorg_console')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await context.close();
  });

  it('shows the flows with counts and charts that change live when events come in', async () => {
    await page.goto(`${url}/flows`);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).consoleFlows?.updates);
    const before = { total: await count(page, 'received.total'), kafka: await count(page, 'received.kafka') };
    const chartBefore = await ingressChartTotal(page);
    expect(before.total).toBe(3);
    expect(chartBefore.kafka).toBe(1);

    // Two more over Kafka and one over RabbitMQ, while the page stays open.
    await hub.publishKafka(Events.started(undefined, { municipalityOfOrigin: '0307' }));
    await hub.publishKafka(Events.started(undefined, { municipalityOfOrigin: '1783' }));
    await hub.publishRabbitmq(Events.started(undefined, { municipalityOfOrigin: '0307' }));
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('[data-count="received.total"]')
          ?.textContent === '6',
      undefined,
      { timeout: 20000 },
    );
    expect(await count(page, 'received.kafka')).toBe(3);
    expect(await count(page, 'received.rabbitmq')).toBe(1);
    const chartAfter = await ingressChartTotal(page);
    expect(chartAfter.kafka).toBe(3);
    expect(chartAfter.rabbitmq).toBe(1);
    // Deliveries follow: every event reaches its tenant's coordinator and ops.
    await page.waitForFunction(
      () =>
        Number(
          (globalThis as unknown as PageGlobals).document.querySelector(
            '[data-count="recipient.ops.published"]',
          )?.textContent,
        ) >= 6,
      undefined,
      { timeout: 20000 },
    );
    const recipients = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).Chart.getChart('chart-recipients').data.datasets.map(
        (d) => d.label,
      ),
    );
    expect(recipients).toEqual(expect.arrayContaining(['ops', 'coordinator-westland']));
    await shot(page, 'flows');

    // The filter narrows to one tenant.
    await page.goto(`${url}/flows?tenant=westland&period=24h`);
    expect(await count(page, 'received.total')).toBe(2);
    await shot(page, 'flows-tenant-westland-24h');

    // A custom period that starts after every event, entered in the browser's local time.
    const [later, muchLater] = await page.evaluate(() =>
      [60_000, 7200_000].map((ahead) => {
        const d = new Date(Date.now() + ahead);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      }),
    );
    await page.selectOption('select[name=period]', 'custom');
    await page.fill('input[data-for=from]', later);
    await page.fill('input[data-for=to]', muchLater);
    await Promise.all([page.waitForURL(/period=custom/), page.click('form.filters button')]);
    expect(await count(page, 'received.total')).toBe(0);
    const from = new URL(page.url()).searchParams.get('from') as string;
    expect(Math.abs(new Date(from).getTime() - (Date.now() + 60_000))).toBeLessThan(5 * 60_000);
  });

  it('lists an injected bad event among the failures, inspects it and shows the replay outcome', async () => {
    const bad = Events.started(undefined, { person: { bsn: '999990018' } }); // fails the eleven-test
    await hub.postHttp(bad);
    // One that was refused for a reason since fixed (stored valid, as the API test does).
    const fixed = Events.started();
    await hub.db.query(
      `insert into dead_letter (channel, violations, payload, payload_bytes) values ('kafka', '[{"path":"$","message":"broker unavailable"}]', $1, $2)`,
      [Buffer.from(JSON.stringify(fixed)), JSON.stringify(fixed).length],
    );
    await hub.waitForCount(`select count(*) from dead_letter`, [], 2);
    await page.goto(`${url}/failures`);
    const groups = page.locator('tr.group');
    await expect(groups.count()).resolves.toBe(2);
    const httpGroup = groups.filter({ hasText: '$.data.person.bsn' });
    await expect(httpGroup.locator('td').first().textContent()).resolves.toBe('http');
    await expect(httpGroup.locator('[data-group-count]').textContent()).resolves.toBe('1');

    const [{ id }] = await hub.db.query(`select id from dead_letter where channel = 'http'`);
    await page.click(`tr[data-dead-letter="${id}"] a`);
    const detail = page.locator(`[data-inspect="${id}"]`);
    await detail.waitFor();
    expect(await detail.textContent()).toContain('$.data.person.bsn');
    expect(await detail.textContent()).toContain('nl.dji.injus.detention.started.v1');
    await shot(page, 'failures-inspect');

    // Replay the selection: the bad one is still invalid and stays open.
    await page.check(`tr[data-dead-letter="${id}"] input[type=checkbox]`);
    await page.click('#selection > button');
    const outcome = page.locator(`[data-replay="${id}"]`);
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('still-invalid');
    await shot(page, 'failures-replay-selection');

    // Replay the kafka group: stored, and the event reaches its recipient.
    await page.click('tr.group:has-text("broker unavailable") button');
    await page.locator('[data-outcome="stored"]').waitFor();
    await hub.probe.waitFor(() => hub.probe.about(fixed.subject, 'coordinator-eemland-zuid').length === 1);
    await shot(page, 'failures-replay-group');
    await page.goto(`${url}/failures`);
    await expect(page.locator('tr.group').count()).resolves.toBe(1);
    await shot(page, 'failures');
  });

  it('refuses a replay without the session’s CSRF token', async () => {
    const [{ id }] = await hub.db.query(`select id from dead_letter where channel = 'http'`);
    const forged = await page.request.post(`${url}/failures/replay`, { form: { id } });
    expect(forged.status()).toBe(403);
    const [{ status }] = await hub.db.query(`select status from dead_letter where id = $1`, [id]);
    expect(status).toBe('open');
  });

  it('shows deadlines at risk or missed per tenant, pseudonymised, and traces a case hop by hop', async () => {
    await page.goto(`${url}/deadlines`);
    const tenant = page.locator('section[data-tenant="eemland-zuid"]');
    expect(await tenant.textContent()).toContain(pseudonym(late.subject));
    expect(await tenant.textContent()).toContain('notification (2 days)');
    await shot(page, 'deadlines');

    await page.goto(`${url}/trace`);
    await page.fill('input[name=ref]', pseudonym(eemland.subject));
    await page.click('form.filters button');
    await page.locator('[data-trace]').waitFor();
    expect(await page.locator('[data-hop=event]').count()).toBe(1);
    expect(await page.locator('[data-hop=event] [data-hop=delivery]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-hop=event]').textContent()).toContain('via http');
    await shot(page, 'trace');
    // An operator cannot look a case up by its real id.
    await page.goto(`${url}/trace?ref=${encodeURIComponent(eemland.subject)}`);
    await page.locator('[data-trace-missing]').waitFor();
  });

  it('shows the registration report as charts and a CSV download', async () => {
    const month = new Date().toISOString().slice(0, 7);
    await page.goto(`${url}/report?tenant=eemland-zuid&month=${month}`);
    const trend = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).Chart.getChart('chart-report-trend').data,
    );
    expect(trend.labels).toHaveLength(6);
    const notifications = trend.datasets.find((d) => d.label === 'notifications')?.data ?? [];
    expect(notifications.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    await shot(page, 'report');
    const csv = await page.request.get(`${url}${await page.locator('#csv-download').getAttribute('href')}`);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toMatch(
      /^measure,key,value\r\ntenant,,eemland-zuid\r\nmonth,,\d{4}-\d\d\r\nnotifications,,[1-9]/,
    );
  });

  it('shows the monitoring views with live data: channels, alerts, and the running hub and ops', async () => {
    await page.goto(`${url}/instances`);
    const instances = page.locator('main');
    await expect(instances.textContent()).resolves.toMatch(/hub[\s\S]*ops|ops[\s\S]*hub/);
    await consoleShot(page, 'instances');
    await page.goto(`${url}/channels`);
    // The six partitions of the ingress topic, sampled from the broker (none stuck here).
    await expect(page.locator('[data-partition^="injus.detention-events.v1/"]').count()).resolves.toBe(6);
    await consoleShot(page, 'channels');
    await page.goto(`${url}/alerts`);
    expect(await page.locator('main').textContent()).not.toContain('not available');
    await consoleShot(page, 'alerts');
  });

  // Stuck partitions and failing recipients in the console: test/console-monitoring.browser.test.ts.

  it('never sent the operator a BSN, name, birth date or detention id', async () => {
    await Promise.all(pending);
    expect(operatorResponses.length).toBeGreaterThan(20);
    const leaks = operatorResponses.flatMap((r) =>
      secrets()
        .filter((s) => r.body.includes(s))
        .map((s) => `${s} in ${r.url}`),
    );
    expect(leaks).toEqual([]);
    // The live stream, read as the browser would.
    const cookie = (await operator.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const controller = new AbortController();
    const stream = await fetch(`${url}/flows/stream?period=1h`, {
      headers: { cookie },
      signal: controller.signal,
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(first).toMatch(/^event: flows\ndata: \{/);
    for (const s of secrets()) expect(first).not.toContain(s);
  });

  it('shows a coordinator its own tenant only', async () => {
    const context = await loggedIn(WESTLAND);
    const p = await context.newPage();
    const bodies: string[] = [];
    p.on('response', (r) => {
      if (!(r.headers()['content-type'] ?? '').startsWith('text/event-stream'))
        void r.text().then(
          (b) => bodies.push(b),
          () => undefined,
        );
    });
    await p.goto(`${url}/flows?tenant=eemland-zuid`);
    expect(await count(p, 'received.total')).toBe(2); // westland's two, whatever it asked for
    expect(await p.locator('select[name=tenant]').count()).toBe(0);
    const boxes = await p.locator('.box.recipient .label').allTextContents();
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes.every((b) => b.endsWith('-westland') || b === 'ops')).toBe(true);
    expect(await p.locator('[data-count="rejected.open"]').count()).toBe(0);
    await shot(p, 'flows-coordinator-westland');

    await p.goto(`${url}/deadlines`);
    expect(await p.locator('section[data-tenant="eemland-zuid"]').count()).toBe(0);
    await p.goto(`${url}/failures`);
    expect(await p.locator('main').textContent()).toContain('only operators');
    await p.goto(`${url}/trace?ref=${encodeURIComponent(eemland.subject)}`);
    await p.locator('[data-trace-missing]').waitFor();
    await p.goto(`${url}/trace?ref=${encodeURIComponent(westland.subject)}`);
    await p.locator('[data-trace]').waitFor();
    await shot(p, 'trace-coordinator-westland');
    await p.goto(`${url}/report?tenant=eemland-zuid`);
    expect(await p.locator('[data-report]').getAttribute('data-report')).toMatch(/^westland\//);
    for (const b of bodies) for (const s of [eemland.subject, late.subject]) expect(b).not.toContain(s);
    await context.close();
  });
});
