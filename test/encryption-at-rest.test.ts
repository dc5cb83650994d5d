import { DetentionEventType } from '@nazorg/contracts';
import { DATA_CIPHER, DataCipherPort, SEALED_DATA_REKEYER, SealedDataRekeyerPort } from '@nazorg/persistence';
import { DEMO_TOKENS, Events, HUB_TABLES, HubHarness } from '@nazorg/testing';
import { Client } from 'pg';

/**
 * Personal data is encrypted at rest, and data keys can be rotated while data exists
 * (docs/adr/0008-encryption-at-rest.md). Runs in its own database, because it changes keys.
 */
const DATABASE = 'nazorg_test_keys';
const baseUrl = new URL(process.env.DATABASE_URL as string);
const url = (db: string) => Object.assign(new URL(baseUrl.href), { pathname: `/${db}` }).href;
const KEY_1 = Buffer.alloc(32, 11).toString('base64');
const KEY_2 = Buffer.alloc(32, 22).toString('base64');
const onlyKey1 = { DATABASE_URL: url(DATABASE), DATA_KEYS: `k1:${KEY_1}`, DATA_KEY_ID: 'k1' };
const bothKeys2Active = { ...onlyKey1, DATA_KEYS: `k1:${KEY_1},k2:${KEY_2}`, DATA_KEY_ID: 'k2' };
const onlyKey2 = { ...onlyKey1, DATA_KEYS: `k2:${KEY_2}`, DATA_KEY_ID: 'k2' };

const person = {
  bsn: '999990573',
  givenNames: 'Verzegelde',
  familyName: 'Achternaam',
  birthDate: '1979-03-14',
};
const SECRETS = [person.bsn, person.givenNames, person.familyName, person.birthDate, 'Casus Sleutelbeheer'];

describe('personal data is encrypted at rest, and keys rotate', () => {
  let hub: HubHarness | undefined;
  const started = Events.started(undefined, { person, caseManager: { name: 'Casus Sleutelbeheer' } });
  // Arrives before its start, so it waits in the inbox across the key rotation.
  const waitingScreening = Events.screening(`DJI-${Date.now()}-WAIT`);
  const waitingStart = Events.started(waitingScreening.subject, { person });
  // A row as written before encryption at rest existed: in clear, waiting for its start.
  const legacyScreening = Events.screening(`DJI-${Date.now()}-LEGACY`);
  const legacyStart = Events.started(legacyScreening.subject);

  beforeAll(async () => {
    const admin = new Client({ connectionString: url('postgres') });
    await admin.connect();
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
    await admin.query(`create database ${DATABASE}`);
    await admin.end();
  });
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  async function rowsContaining(h: HubHarness, secrets: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const table of HUB_TABLES) {
      const rows: { row: string }[] = await h.db.query(`select t::text as row from ${table} t`);
      for (const { row } of rows) for (const s of secrets) if (row.includes(s)) found.push(`${table}: ${s}`);
    }
    return found;
  }

  it('keeps no BSN, name or birth date readable in any table, yet delivers them to who may see them', async () => {
    hub = await HubHarness.start({ env: onlyKey1 });
    expect((await hub.postHttp(started)).status).toBe(202);
    expect((await hub.postHttp(Events.screening(started.subject), DEMO_TOKENS.dpan)).status).toBe(202);
    // Rejected input is kept for replay, and it holds personal data too.
    const rejected = { ...Events.started(undefined, { person }), type: 'nl.dji.injus.unknown.v1' };
    expect((await hub.postHttp(rejected)).status).toBe(400);
    expect((await hub.postHttp(waitingScreening, DEMO_TOKENS.dpan)).status).toBe(202);
    await hub.probe.waitFor(() => hub!.probe.about(started.subject, 'coordinator-eemland-zuid').length === 2);
    await hub.waitForCount(`select count(*) from connector_result`, [], 0);

    // The coordinator received the person in clear (opened on the way out) ...
    const [toCoordinator] = hub.probe.about(started.subject, 'coordinator-eemland-zuid');
    expect(toCoordinator.event.data).toMatchObject({ person: { bsn: person.bsn } });
    // ... while the tables hold none of it in a readable form.
    expect(await rowsContaining(hub, SECRETS)).toEqual([]);
    const census = await hub.app.get<SealedDataRekeyerPort>(SEALED_DATA_REKEYER).census();
    expect(Object.keys(census)).toEqual(['k1']);
    expect(census.k1).toBeGreaterThan(10);
    // Each detention's values under its own data key (ADR 0026), the keys wrapped by k1.
    const keyed: { key_id: string; keys: string }[] = await hub.db.query(
      `select e.key_id, (select count(*) from detention_key) as keys from inbound_event e
       where e.detention_id = $1`,
      [started.subject],
    );
    expect(keyed.map((k) => k.key_id)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^dk:[0-9a-f-]{36}$/)]),
    );
    expect(new Set(keyed.map((k) => k.key_id)).size).toBe(1);
    expect(Number(keyed[0].keys)).toBeGreaterThanOrEqual(3);

    // Simulates a database written before sealing existed (the migration leaves such rows in clear).
    await hub.db.query(
      `insert into inbound_event (source, event_id, type, detention_id, channel, event, routing_status)
       values ($1, $2, $3, $4, 'http', $5, 'awaiting-origin')`,
      [
        legacyScreening.source,
        legacyScreening.id,
        legacyScreening.type,
        legacyScreening.subject,
        legacyScreening,
      ],
    );
    await hub.db.query(`insert into detention (detention_id, origin_known) values ($1, false)`, [
      legacyScreening.subject,
    ]);
    // And a disclosure record from before ADR 0026: the detention id in clear, nothing sealed.
    await hub.db.query(
      `insert into disclosure_record (delivery_id, trace_id, span_id, recipient_id, recipient_kind, tenant_id,
         detention_pseudonym, event_type, field_paths, processing_activity, legal_ground, disclosed_at)
       select delivery_id, trace_id, span_id, recipient_id, recipient_kind, tenant_id, $1, event_type,
         field_paths, processing_activity, legal_ground, disclosed_at from disclosure_record limit 1`,
      [started.subject],
    );
  });

  it('refuses to start without a key that sealed stored data, naming DATA_KEYS', async () => {
    await expect(HubHarness.start({ env: onlyKey2, keepData: true })).rejects.toThrow(
      /DATA_KEYS lacks key\(s\) k1/,
    );
  });

  it('re-seals everything under the new active key, including rows still in clear', async () => {
    hub = await HubHarness.start({ env: bothKeys2Active, keepData: true });
    const rekeyer = hub.app.get<SealedDataRekeyerPort>(SEALED_DATA_REKEYER);
    const deadline = Date.now() + 20000;
    let census = await rekeyer.census();
    while (Object.keys(census).join() !== 'k2' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      census = await rekeyer.census();
    }
    expect(Object.keys(census)).toEqual(['k2']);
    // The row that was in clear now keeps only its envelope in clear.
    const [legacy] = await hub.db.query(`select event, key_id from inbound_event where event_id = $1`, [
      legacyScreening.id,
    ]);
    // Under its detention's own key now (wrapped by k2), its envelope only in clear.
    expect(legacy.key_id).toMatch(/^dk:/);
    expect(Object.keys(legacy.event).sort()).toEqual(['id', 'source', 'time', 'type']);
    const wrappedBy: { master_key_id: string }[] = await hub.db.query(
      `select distinct master_key_id from detention_key`,
    );
    expect(wrappedBy).toEqual([{ master_key_id: 'k2' }]);
    // The disclosure record from before ADR 0026 keeps the detention id sealed, filed under its hash.
    const records: { detention_pseudonym: string; detention_sealed: Buffer | null; id: string }[] =
      await hub.db.query(
        `select id::text, detention_pseudonym, detention_sealed from disclosure_record
         where detention_pseudonym = any($1)`,
        [[started.subject, hub.pseudonym(started.subject)]],
      );
    expect(records.length).toBeGreaterThan(1);
    for (const r of records) {
      expect(r.detention_pseudonym).toBe(hub.pseudonym(started.subject));
      const opened = await hub.app
        .get<DataCipherPort>(DATA_CIPHER)
        .open(r.detention_sealed!, { context: 'disclosure_record.detention', row: r.id });
      expect(opened.toString('utf8')).toBe(started.subject);
    }
  });

  it('after the old key is gone, data sealed before the rotation is still delivered', async () => {
    hub = await HubHarness.start({ env: onlyKey2, keepData: true });
    expect((await hub.postHttp(waitingStart)).status).toBe(202);
    expect((await hub.postHttp(legacyStart)).status).toBe(202);
    const coordinator = 'coordinator-eemland-zuid';
    await hub.probe.waitFor(
      () =>
        hub!.probe.about(waitingScreening.subject, coordinator).length === 2 &&
        hub!.probe.about(legacyScreening.subject, coordinator).length === 2,
      15000,
      'the waiting screenings to be routed after their starts',
    );
    for (const screening of [waitingScreening, legacyScreening]) {
      const delivered = hub.probe
        .about(screening.subject, coordinator)
        .find((m) => m.event.type === DetentionEventType.SCREENING_COMPLETED);
      expect(delivered?.event.data).toEqual(screening.data);
    }
    expect(await rowsContaining(hub, SECRETS)).toEqual([]);
  });
});
