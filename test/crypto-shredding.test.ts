import { AppConfig, loadAppConfig } from '@nazorg/config';
import {
  AesGcmDataCipher,
  DATA_CIPHER,
  DataCipherPort,
  DETENTION_KEYS,
  DetentionKeysPort,
  SealContext,
} from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { DEMO_TOKENS, eventually, Events, HubHarness } from '@nazorg/testing';

/**
 * Crypto-shredding (issue 13, ADR 0026): each detention's personal data is sealed with its own data
 * key, wrapped by the master key ring; erasure destroys the key, so a copy of the sealed values kept
 * anywhere (a backup, the WAL, a dead tuple) no longer opens. Values are bound to their row, and
 * the disclosure log keeps the data subject's id sealed while a coordinator can still query it.
 */
const SEALED: [table: string, column: string, context: SealContext, key: string][] = [
  ['inbound_event', 'event_sealed', 'inbound_event.event', 'id'],
  ['delivery', 'message_sealed', 'delivery.message', 'id'],
  ['connector_result', 'event_sealed', 'connector_result.event', 'id'],
  ['aftercare_case', 'state_sealed', 'aftercare_case.state', 'detention_id'],
  ['aftercare_case', 'conditions_sealed', 'aftercare_case.conditions', 'detention_id'],
  ['disclosure_record', 'detention_sealed', 'disclosure_record.detention', 'id'],
];
/** Where each table files the detention: its id, or (the disclosure log) its keyed hash. */
const FILED_UNDER: Record<string, 'id' | 'pseudonym'> = { disclosure_record: 'pseudonym' };
const OWNER_COLUMN: Record<string, string> = { disclosure_record: 'detention_pseudonym' };

interface Copy {
  where: string;
  sealed: Buffer;
  at: { context: SealContext; row: string };
}

describe('crypto-shredding: a data key per detention, destroyed by erasure', () => {
  let hub: HubHarness;
  let cipher: DataCipherPort;
  beforeAll(async () => {
    hub = await HubHarness.start();
    cipher = hub.app.get<DataCipherPort>(DATA_CIPHER);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** What a backup taken now would hold of the detention's sealed values. */
  async function backupOf(detentionId: string): Promise<Copy[]> {
    const copies: Copy[] = [];
    for (const [table, column, context, key] of SEALED) {
      const owner = OWNER_COLUMN[table] ?? 'detention_id';
      const filed = FILED_UNDER[table] === 'pseudonym' ? hub.pseudonym(detentionId) : detentionId;
      const rows: { sealed: Buffer; row: string }[] = await hub.db.query(
        `select ${column} as sealed, ${key}::text as row from ${table} where ${owner} = $1 and ${column} is not null`,
        [filed],
      );
      for (const r of rows)
        copies.push({ where: `${table}.${column}`, sealed: r.sealed, at: { context, row: r.row } });
    }
    return copies;
  }

  async function lifecycle() {
    const started = Events.started(undefined, { person: { bsn: '999990652', familyName: 'Versnipperd' } });
    expect((await hub.postHttp(started)).status).toBe(202);
    expect((await hub.postHttp(Events.screening(started.subject), DEMO_TOKENS.dpan)).status).toBe(202);
    await hub.probe.waitFor(() => hub.probe.about(started.subject, 'coordinator-eemland-zuid').length === 2);
    // Everything sent, and every disclosure logged (the relay writes them after the confirms).
    await eventually(
      async () => {
        const [{ pending, sent, logged }] = await hub.db.query(
          `select count(*) filter (where published_at is null) as pending,
                  count(*) filter (where published_at is not null) as sent,
                  (select count(*) from disclosure_record where detention_pseudonym = $2) as logged
           from delivery where detention_id = $1`,
          [started.subject, hub.pseudonym(started.subject)],
        );
        return Number(pending) === 0 && Number(sent) > 0 && Number(logged) === Number(sent);
      },
      15000,
      'every delivery of the detention sent and logged',
    );
    await hub.waitForCount(
      `select count(*) from aftercare_case where detention_id = $1`,
      [started.subject],
      1,
    );
    return started;
  }

  it('seals every value of a detention with its own key, bound to its row', async () => {
    const a = await lifecycle();
    const b = await lifecycle();
    const copiesA = await backupOf(a.subject);
    expect(new Set(copiesA.map((c) => c.where))).toEqual(
      new Set([
        'inbound_event.event_sealed',
        'delivery.message_sealed',
        'aftercare_case.state_sealed',
        'aftercare_case.conditions_sealed',
        'disclosure_record.detention_sealed',
      ]),
    );
    // One key per detention, found by its pseudonym; every sealed row of it names that key.
    const keys: { id: string; subject: string }[] = await hub.db.query(
      `select id::text, subject from detention_key where subject = any($1)`,
      [[hub.pseudonym(a.subject), hub.pseudonym(b.subject)]],
    );
    expect(keys).toHaveLength(2);
    const keyOfA = keys.find((k) => k.subject === hub.pseudonym(a.subject))!.id;
    const named: { key_id: string }[] = await hub.db.query(
      `select key_id from inbound_event where detention_id = $1
       union all select key_id from delivery where detention_id = $1
       union all select key_id from aftercare_case where detention_id = $1
       union all select conditions_key_id from aftercare_case where detention_id = $1
       union all select key_id from disclosure_record where detention_pseudonym = $2`,
      [a.subject, hub.pseudonym(a.subject)],
    );
    expect(new Set(named.map((n) => n.key_id))).toEqual(new Set([`dk:${keyOfA}`]));
    // A value copied onto another row of the same table, of the same detention, does not open.
    const deliveries = copiesA.filter((c) => c.where === 'delivery.message_sealed');
    expect(deliveries.length).toBeGreaterThan(1);
    await expect(cipher.open(deliveries[0].sealed, deliveries[1].at)).rejects.toThrow(/does not open/);
    for (const c of copiesA) await expect(cipher.open(c.sealed, c.at)).resolves.toBeInstanceOf(Buffer);
  });

  it('keeps the data subject id sealed in the disclosure log, filed under its keyed hash', async () => {
    const a = await lifecycle();
    const rows: { row: string; id: string; sealed: Buffer }[] = await hub.db.query(
      `select t::text as row, id::text, detention_sealed as sealed from disclosure_record t
       where detention_pseudonym = $1`,
      [hub.pseudonym(a.subject)],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.row).not.toContain(a.subject);
      const opened = await cipher.open(r.sealed, { context: 'disclosure_record.detention', row: r.id });
      expect(opened.toString('utf8')).toBe(a.subject);
    }
    // The coordinator's query by detention id (GET /api/v1/detentions/{id}/disclosures) finds
    // these rows by the keyed hash: test/operations-api.test.ts.
  });

  it('destroys the key at erasure: a backup of the values no longer opens, another detention is untouched', async () => {
    const a = await lifecycle();
    const b = await lifecycle();
    const backup = await backupOf(a.subject);
    const keysBackup: { id: string; subject: string; master_key_id: string; wrapped: Buffer }[] =
      await hub.db.query(
        `select id::text, subject, master_key_id, wrapped from detention_key where subject = $1`,
        [hub.pseudonym(a.subject)],
      );
    expect(keysBackup).toHaveLength(1);
    expect(backup.length).toBeGreaterThan(5);

    expect((await hub.postHttp(Events.withdrawn(a.subject))).status).toBe(202);
    await hub.waitForCount(
      `select count(*) from detention where detention_id = $1 and erased_at is not null`,
      [hub.pseudonym(a.subject)],
      1,
    );
    const pseudonyms = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER);
    const [{ count: left }] = await hub.db.query(
      `select count(*) from detention_key where subject = any($1)`,
      [pseudonyms.candidates(a.subject)],
    );
    expect(Number(left)).toBe(0);
    // A fresh hub (nothing cached) and this one: the backup's values are shredded.
    const fresh = new AesGcmDataCipher(
      hub.app.get(AppConfig),
      hub.app.get<DetentionKeysPort>(DETENTION_KEYS),
      pseudonyms,
    );
    for (const c of backup) {
      await expect(cipher.open(c.sealed, c.at)).rejects.toThrow(/no longer exists/);
      await expect(fresh.open(c.sealed, c.at)).rejects.toThrow(/no longer exists/);
    }
    for (const c of await backupOf(b.subject))
      await expect(fresh.open(c.sealed, c.at)).resolves.toBeInstanceOf(Buffer);

    // A backup of the key table too: readable only while the ring key that wrapped it lives. After
    // the ring rotates (the hub re-wraps every live key) and the old ring key is retired, it is not.
    await hub.db.query(
      `insert into detention_key (id, subject, master_key_id, wrapped) values ($1, $2, $3, $4)`,
      [
        keysBackup[0].id,
        `restored-${keysBackup[0].subject}`,
        keysBackup[0].master_key_id,
        keysBackup[0].wrapped,
      ],
    );
    try {
      expect((await fresh.open(backup[0].sealed, backup[0].at)).length).toBeGreaterThan(0);
      const retired = new AesGcmDataCipher(
        loadAppConfig({
          DATA_KEYS: `k-next:${Buffer.alloc(32, 7).toString('base64')}`,
          DATA_KEY_ID: 'k-next',
        }),
        hub.app.get<DetentionKeysPort>(DETENTION_KEYS),
        pseudonyms,
      );
      await expect(retired.open(backup[0].sealed, backup[0].at)).rejects.toThrow(/not in DATA_KEYS/);
    } finally {
      await hub.db.query(`delete from detention_key where id = $1`, [keysBackup[0].id]);
    }
  });
});
