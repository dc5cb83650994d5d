import { randomUUID } from 'node:crypto';
import { loadAppConfig } from '@nazorg/config';
import {
  AesGcmDataCipher,
  DetentionKeysPort,
  OUTBOX_CHANNEL,
  SqlExecutor,
  StoredDetentionKey,
} from '@nazorg/persistence';
import { pseudonymizerFrom } from '@nazorg/privacy';
import { Client } from 'pg';

interface KeyRow {
  id: string;
  master_key_id: string;
  wrapped: Buffer;
}
const toKey = (r: KeyRow): StoredDetentionKey => ({
  id: r.id,
  masterKeyId: r.master_key_id,
  wrapped: r.wrapped,
});

/**
 * The detention keys as the bench reads them, over its own pg client: every copy belongs to a
 * detention the hub stored, so its key exists (the bench never adds or destroys one).
 */
class BenchDetentionKeys implements DetentionKeysPort {
  private readonly bySubject = new Map<string, StoredDetentionKey>();
  constructor(private readonly db: Client) {}

  async findOrAdd(subject: string): Promise<StoredDetentionKey> {
    const known = this.bySubject.get(subject);
    if (known) return known;
    const { rows } = await this.db.query<KeyRow>(
      `select id, master_key_id, wrapped from detention_key where subject = $1`,
      [subject],
    );
    if (!rows[0]) throw new Error('the bench copies only what the hub stored: no detention key');
    this.bySubject.set(subject, toKey(rows[0]));
    return toKey(rows[0]);
  }

  findOrAddAll(): Promise<Map<string, StoredDetentionKey>> {
    throw new Error('the bench adds no detention key');
  }

  async findAll(subjects: readonly string[]): Promise<Map<string, StoredDetentionKey>> {
    const out = new Map<string, StoredDetentionKey>();
    for (const s of subjects) out.set(s, await this.findOrAdd(s));
    return out;
  }

  async byId(id: string): Promise<StoredDetentionKey | undefined> {
    const { rows } = await this.db.query<KeyRow>(
      `select id, master_key_id, wrapped from detention_key where id = $1`,
      [id],
    );
    return rows[0] && toKey(rows[0]);
  }

  destroy(): Promise<string[]> {
    throw new Error('the bench destroys no detention key');
  }
}

const CHUNK = 5000;

/**
 * The onboarding backfill: for each stored history event one outbox row to `recipientId`, the
 * message as the hub sealed it for `ops` (a kind every event goes to), sealed again for the new
 * row as the hub would (its detention's key, bound to the row: ADR 0026; a byte copy does not
 * open). `appEnv`: the apps' environment, for the keys. Returns the rows written.
 */
export async function writeOnboardingCopies(
  db: Client,
  appEnv: Record<string, string>,
  recipientId: string,
  limit: number,
  copyColumns: string[],
): Promise<number> {
  const config = loadAppConfig({ ...process.env, ...appEnv });
  const cipher = new AesGcmDataCipher(config, new BenchDetentionKeys(db), pseudonymizerFrom(config));
  const noDb: SqlExecutor = { query: () => Promise.reject(new Error('not used')) };
  const { rows: sources } = await db.query<{ event: string; ops: string }>(
    `select i.id as event, d.id as ops
     from inbound_event i
     join inbound_event o on o.source = i.source and o.event_id = split_part(i.event_id, '-history-', 1)
     -- Not an erased detention's (its message is gone with its key): nothing to onboard.
     join delivery d on d.inbound_event_id = o.id and d.recipient_id = 'ops' and d.message_sealed is not null
     limit $1`,
    [limit],
  );
  let written = 0;
  await db.query('begin');
  for (let from = 0; from < sources.length; from += CHUNK) {
    const chunk = sources.slice(from, from + CHUNK);
    const { rows: ops } = await db.query<{ id: string; detention_id: string; message_sealed: Buffer }>(
      `select id, detention_id, message_sealed from delivery where id = any($1)`,
      [[...new Set(chunk.map((c) => c.ops))]],
    );
    const byId = new Map(ops.map((o) => [o.id, o]));
    const ids: string[] = [];
    const sealed: Buffer[] = [];
    const keyIds: string[] = [];
    for (const { ops: opsId } of chunk) {
      const o = byId.get(opsId) as (typeof ops)[number];
      const plain = await cipher.open(o.message_sealed, { context: 'delivery.message', row: o.id });
      const id = randomUUID();
      const [value] = await cipher.sealAllFor(
        [{ plain, at: { context: 'delivery.message', row: id } }],
        { detentionId: o.detention_id },
        noDb,
      );
      ids.push(id);
      sealed.push(value.sealed);
      keyIds.push(value.keyId);
    }
    const cols = copyColumns.filter((c) => c !== 'message_sealed' && c !== 'key_id');
    const inserted = await db.query(
      `insert into delivery (id, inbound_event_id, recipient_id, routing_key, detention_id, message_sealed, key_id,
                             ${cols.join(', ')})
       select f.id, f.event, $1, $1, d.detention_id, f.sealed, f.key_id, ${cols.map((c) => `d.${c}`).join(', ')}
       from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::bytea[], $6::text[]) f (id, event, ops, sealed, key_id)
       join delivery d on d.id = f.ops`,
      [recipientId, ids, chunk.map((c) => c.event), chunk.map((c) => c.ops), sealed, keyIds],
    );
    written += inserted.rowCount ?? 0;
  }
  await db.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  await db.query('commit');
  return written;
}
