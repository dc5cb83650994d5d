import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { CloudEvent, FeedSource, RecipientKind } from '@nazorg/contracts';
import {
  DISCLOSURE_GROUNDS,
  PROCESSING_ACTIVITY_PURPOSES,
  RECIPIENT_KIND_ORGANISATIONS,
} from '@nazorg/privacy';
import { DEMO_TOKENS, Events, HubHarness, OutputCapture } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

interface Report {
  tenantId: string;
  detentionIds: string[];
  organisations: { recipientId: string; fieldPaths: string[]; legalGrounds: string[]; purposes: string[] }[];
  disclosures: {
    detentionId: string;
    recipientId: string;
    recipientKind: string;
    fieldPaths: string[];
    processingActivity: string;
    legalGround: string;
    purpose: string;
    disclosedAt: string;
  }[];
}

/**
 * The citizen's access request (AVG art. 15, issue 13, ADR 0025) end to end: a coordinator asks,
 * with the BSN in the body, which organisations received which data about the person across all
 * detentions of its tenant, and gets JSON or a printable HTML document, found by the BSN's blind
 * index (the BSN is stored nowhere in clear). A fictitious person with two detentions in Westland
 * (both appear), a third one that was withdrawn and erased (does not), one in Haarlem (another
 * tenant: does not), and another person in Westland (does not).
 */
describe('access request (AVG art. 15)', () => {
  const BSN = '999900018';
  const OTHER_BSN = '999900031';
  let hub: HubHarness;
  let ops: INestApplication;
  let url: string;
  const output = new OutputCapture();
  const westland = (bsn: string) =>
    Events.started(undefined, { municipalityOfOrigin: '1783', person: { bsn, givenNames: 'Testa' } });
  const first = westland(BSN);
  const second = westland(BSN);
  const erased = westland(BSN);
  const otherPerson = westland(OTHER_BSN);
  const haarlem = Events.started(undefined, { municipalityOfOrigin: '0392', person: { bsn: BSN } });

  const ask = (path: string, token: string, body: unknown) =>
    fetch(`${url}/api/v1/access-requests${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
  const coordinator = 'demo-coordinator-westland-token';

  beforeAll(async () => {
    hub = await HubHarness.start();
    ops = await bootstrapOps({ port: 0 });
    url = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    const post = async (e: CloudEvent<object>) => {
      const token = e.source === FeedSource.DPAN ? DEMO_TOKENS.dpan : DEMO_TOKENS.injus;
      expect((await hub.postHttp(e, token)).status).toBe(202);
    };
    for (const e of [first, second, erased, otherPerson, haarlem]) await post(e);
    await post(Events.screening(first.subject));
    await post(Events.released(first.subject, { destinationMunicipality: '1783' }));
    await post(Events.withdrawn(erased.subject));
    // The withdrawn detention is erased once its withdrawal went out to everyone.
    await hub.waitForCount(`select count(*) from detention where erased_at is not null`, [], 1, 30000);
    await hub.waitForCount(
      `select count(*) from delivery where detention_id = any($1) and published_at is null`,
      [[first.subject, second.subject]],
      0,
    );
    output.start();
  });
  afterAll(async () => {
    output.stop();
    await ops?.close();
    await hub?.stop();
  });

  it('answers as JSON: both detentions with every disclosure, its fields, purpose and legal ground', async () => {
    const answer = await ask('', coordinator, { bsn: BSN });
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.text) as Report;
    expect(report.tenantId).toBe('westland');
    expect(report.detentionIds).toEqual([first.subject, second.subject].sort());
    const logged: { count: string }[] = await hub.db.query(
      `select count(*) from disclosure_record where detention_pseudonym = any($1)`,
      [[hub.pseudonym(first.subject), hub.pseudonym(second.subject)]],
    );
    expect(report.disclosures).toHaveLength(Number(logged[0].count));
    const seen = new Set(report.disclosures.map((d) => d.detentionId));
    expect([...seen].sort()).toEqual([first.subject, second.subject].sort());
    for (const d of report.disclosures) {
      const ground = DISCLOSURE_GROUNDS[d.recipientKind as RecipientKind];
      expect(d).toMatchObject({
        processingActivity: ground.processingActivity,
        legalGround: ground.legalGround,
        purpose: PROCESSING_ACTIVITY_PURPOSES[ground.processingActivity],
      });
      expect(d.fieldPaths.length).toBeGreaterThan(0);
      expect(Date.parse(d.disclosedAt)).not.toBeNaN();
    }
    // Need to know holds in the answer too: zorg never had the BSN, brp did.
    const fieldsOf = (recipientId: string) =>
      report.organisations.find((o) => o.recipientId === recipientId)?.fieldPaths;
    expect(fieldsOf('brp-westland')).toContain('person.bsn');
    expect(fieldsOf('zorg-westland')).not.toContain('person.bsn');
    expect(fieldsOf('zorg-westland')).toContain('care.areas');
    expect(report.organisations.map((o) => o.recipientId)).toEqual(
      expect.arrayContaining([
        'brp-westland',
        'coordinator-westland',
        'income-westland',
        'ops',
        'zorg-westland',
      ]),
    );
  });

  it('leaves out the erased detention, another tenant and another person; the BSN is stored nowhere', async () => {
    const report = JSON.parse((await ask('', coordinator, { bsn: BSN })).text) as Report;
    const ids = report.disclosures.map((d) => d.detentionId);
    for (const id of [erased.subject, haarlem.subject, otherPerson.subject]) expect(ids).not.toContain(id);
    // The erased one's records are still in the log, under its keyed hash and without the index.
    const [{ erasedRecords, indexed }] = await hub.db.query(
      `select count(*) filter (where d.erased_at is not null) as "erasedRecords",
              count(*) filter (where d.erased_at is not null and r.person_index is not null) as indexed
       from disclosure_record r join detention d on d.detention_id = r.detention_pseudonym`,
    );
    expect(Number(erasedRecords)).toBeGreaterThan(0);
    expect(Number(indexed)).toBe(0);
    // The other person and Haarlem's coordinator each get their own.
    const other = JSON.parse((await ask('', coordinator, { bsn: OTHER_BSN })).text) as Report;
    expect(other.detentionIds).toEqual([otherPerson.subject]);
    const inHaarlem = JSON.parse(
      (await ask('', 'demo-coordinator-haarlem-token', { bsn: BSN })).text,
    ) as Report;
    expect(inHaarlem.detentionIds).toEqual([haarlem.subject]);
    // No column of the lookup holds the BSN: only its keyed index.
    const clear: unknown[] = await hub.db.query(
      `select 1 from disclosure_record where person_index like '%' || $1 || '%'
       union all select 1 from detention where person_index like '%' || $1 || '%'`,
      [BSN],
    );
    expect(clear).toEqual([]);
  });

  it('renders a printable HTML document with the organisations, fields, dates, purposes and grounds', async () => {
    const answer = await ask('/document', coordinator, { bsn: BSN });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/html/);
    const html = answer.text;
    const report = JSON.parse((await ask('', coordinator, { bsn: BSN })).text) as Report;
    for (const kind of ['brp', 'income', 'zorg', 'coordinator', 'ops'] as const) {
      expect(html).toContain(escape(RECIPIENT_KIND_ORGANISATIONS[kind]));
      expect(html).toContain(escape(DISCLOSURE_GROUNDS[kind].legalGround));
      expect(html).toContain(
        escape(PROCESSING_ACTIVITY_PURPOSES[DISCLOSURE_GROUNDS[kind].processingActivity]),
      );
    }
    for (const path of ['person.bsn', 'care.areas', 'releaseType']) expect(html).toContain(path);
    for (const d of report.disclosures) expect(html).toContain(d.disclosedAt.replace('T', ' ').slice(0, 19));
    expect(html).toContain(first.subject);
    expect(html).toContain(second.subject);
    expect(html).not.toContain(erased.subject);
    expect(html).not.toContain(BSN);
    expect(html).toMatch(/@media print/);
    const dir = join(__dirname, '..', 'test-artifacts', 'access-request');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'example.html'), html);
  });

  it('is for coordinators only, takes a valid BSN in the body only, and never logs it', async () => {
    expect((await ask('', 'demo-operator-token', { bsn: BSN })).status).toBe(403);
    expect((await ask('', 'wrong-token-123456', { bsn: BSN })).status).toBe(401);
    const invalid = await ask('', coordinator, { bsn: '999900019' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text)).toMatchObject({
      violations: [{ path: 'bsn', message: expect.stringMatching(/BSN/) }],
    });
    expect(invalid.text).not.toContain('999900019');
    const none = await fetch(`${url}/api/v1/access-requests?bsn=${BSN}`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(none.status).toBe(404);
    expect(output.text()).not.toContain(BSN);
    expect(output.text()).not.toContain(OTHER_BSN);
  });
});

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
