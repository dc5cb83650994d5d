import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { DataSource, EntityManager } from 'typeorm';
import { envelopeOf } from '../adapters/stored-envelopes';
import {
  DATA_CIPHER,
  DataCipherPort,
  DETENTION_KEY_PREFIX,
  SealContext,
  SealOwner,
} from './data-cipher.port';
import { SealedDataRekeyerPort, SealedValueCensus } from './sealed-data-rekeyer.port';

interface SealedColumn {
  table: string;
  sealed: string;
  /** The jsonb column that held the value in clear before encryption at rest (it keeps the envelope). */
  clearJson?: string;
  context: SealContext;
  /** Primary key column (default `id`): the row the value is bound to. */
  key?: string;
  /** The column naming the sealing key (default `key_id`). */
  keyId?: string;
  /** Whose value it is: a column holding the detention id, or (dead letters) its pseudonym. */
  owner: { detentionId: string } | { subjectPseudonym: string };
}

const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    table: 'inbound_event',
    sealed: 'event_sealed',
    clearJson: 'event',
    context: 'inbound_event.event',
    owner: { detentionId: 'detention_id' },
  },
  {
    table: 'delivery',
    sealed: 'message_sealed',
    clearJson: 'message',
    context: 'delivery.message',
    owner: { detentionId: 'detention_id' },
  },
  {
    table: 'connector_result',
    sealed: 'event_sealed',
    clearJson: 'event',
    context: 'connector_result.event',
    owner: { detentionId: 'detention_id' },
  },
  {
    table: 'dead_letter',
    sealed: 'payload',
    context: 'dead_letter.payload',
    owner: { subjectPseudonym: 'subject_pseudonym' },
  },
  {
    table: 'aftercare_case',
    sealed: 'state_sealed',
    context: 'aftercare_case.state',
    key: 'detention_id',
    owner: { detentionId: 'detention_id' },
  },
  {
    table: 'aftercare_case',
    sealed: 'conditions_sealed',
    context: 'aftercare_case.conditions',
    key: 'detention_id',
    keyId: 'conditions_key_id',
    owner: { detentionId: 'detention_id' },
  },
  {
    table: 'disclosure_record',
    sealed: 'detention_sealed',
    context: 'disclosure_record.detention',
    owner: { subjectPseudonym: 'detention_pseudonym' },
  },
];

/** Values still in clear: written before the migration that introduced sealing, and not erased. */
function inClear(c: SealedColumn): string {
  const keyId = c.keyId ?? 'key_id';
  return c.clearJson
    ? `(${keyId} is null and ${c.sealed} is null and not (${c.clearJson} ? 'erased'))`
    : `(${keyId} is null and ${c.sealed} is not null)`;
}

const ownerColumn = (c: SealedColumn) =>
  'detentionId' in c.owner ? c.owner.detentionId : c.owner.subjectPseudonym;

/**
 * Rotation and migration of what is sealed (ADR 0008, 0026). A rotation of the ring re-wraps the
 * detention keys, not the data. Values sealed by a ring key directly (from before detention keys,
 * or with no detention) move under their detention's key, or under the active ring key when they
 * have none; values in clear are sealed; disclosure records from before ADR 0026 get their detention
 * id sealed and the keyed hash in its place.
 */
@Injectable()
export class TypeormSealedDataRekeyer implements SealedDataRekeyerPort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    @Inject(PSEUDONYMIZER) private readonly pseudonyms: Pick<PseudonymizerPort, 'pseudonym'>,
  ) {}

  async census(): Promise<SealedValueCensus> {
    const census: SealedValueCensus = {};
    for (const c of SEALED_COLUMNS) {
      const keyId = `t.${c.keyId ?? 'key_id'}`;
      // A value under a detention key counts for the ring key that wraps it; one whose detention
      // key is gone was shredded (it cannot be read, and no ring key can change that).
      const rows: { key: string; count: string }[] = await this.dataSource.query(
        `select coalesce(k.master_key_id,
                  case when ${keyId} like '${DETENTION_KEY_PREFIX}%' then 'shredded' else coalesce(${keyId}, 'clear') end)
                  as key, count(*) as count
         from ${c.table} t
         left join detention_key k on ${keyId} like '${DETENTION_KEY_PREFIX}%'
                                  and k.id::text = substr(${keyId}, ${DETENTION_KEY_PREFIX.length + 1})
         where ${keyId} is not null or ${inClear(c)} group by 1`,
      );
      for (const r of rows) census[r.key] = (census[r.key] ?? 0) + Number(r.count);
    }
    const [legacy]: { count: string }[] = await this.dataSource.query(
      `select count(*) as count from disclosure_record r where ${LEGACY_DISCLOSURE}`,
    );
    if (Number(legacy.count)) census.clear = (census.clear ?? 0) + Number(legacy.count);
    return census;
  }

  async resealBatch(limit: number): Promise<number> {
    let done = await this.rewrapKeys(limit);
    for (const c of SEALED_COLUMNS) done += await this.resealColumn(c, limit);
    done += await this.sealLegacyDisclosures(limit);
    return done;
  }

  /** Detention keys wrapped by another ring key than the active one, wrapped anew. */
  private rewrapKeys(limit: number): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows: { id: string; master_key_id: string; wrapped: Buffer }[] = await em.query(
        `select id, master_key_id, wrapped from detention_key where master_key_id <> $1
         limit $2 for update skip locked`,
        [this.cipher.activeKeyId, limit],
      );
      for (const r of rows) {
        const wrapped = this.cipher.rewrap({ id: r.id, masterKeyId: r.master_key_id, wrapped: r.wrapped });
        await em.query(`update detention_key set master_key_id = $2, wrapped = $3 where id = $1`, [
          r.id,
          this.cipher.activeKeyId,
          wrapped,
        ]);
      }
      return rows.length;
    });
  }

  private resealColumn(c: SealedColumn, limit: number): Promise<number> {
    const keyId = c.keyId ?? 'key_id';
    const key = c.key ?? 'id';
    const owner = ownerColumn(c);
    return this.dataSource.transaction(async (em) => {
      // Sealed by a ring key: an old one, or the active one while a detention key could take it.
      const rows: Record<string, unknown>[] = await em.query(
        `select ${key}::text as id, ${keyId} as key_id, ${c.sealed} as sealed, ${owner} as owner
                ${c.clearJson ? `, ${c.clearJson} as clear` : ''}
         from ${c.table}
         where (${keyId} is not null and ${keyId} not like '${DETENTION_KEY_PREFIX}%'
                and (${keyId} <> $1 or ${owner} is not null))
            or ${inClear(c)}
         limit $2 for update skip locked`,
        [this.cipher.activeKeyId, limit],
      );
      for (const row of rows) {
        const at = { context: c.context, row: row.id as string };
        const plain: Buffer = row.key_id
          ? await this.cipher.open(row.sealed as Buffer, at)
          : c.clearJson
            ? Buffer.from(JSON.stringify(row.clear), 'utf8')
            : (row.sealed as Buffer);
        const sealed = row.owner
          ? await this.cipher.sealFor(plain, this.ownerOf(c, row.owner as string), at, em)
          : this.cipher.sealByRing(plain, at);
        await this.write(em, c, row, sealed.sealed, sealed.keyId);
      }
      return rows.length;
    });
  }

  private async write(
    em: EntityManager,
    c: SealedColumn,
    row: Record<string, unknown>,
    sealed: Buffer,
    keyId: string,
  ): Promise<void> {
    const key = c.key ?? 'id';
    if (c.clearJson && !row.key_id) {
      await em.query(
        `update ${c.table} set ${c.sealed} = $2, key_id = $3, ${c.clearJson} = $4 where ${key}::text = $1`,
        [row.id, sealed, keyId, envelopeOf(row.clear as never)],
      );
    } else {
      await em.query(
        `update ${c.table} set ${c.sealed} = $2, ${c.keyId ?? 'key_id'} = $3 where ${key}::text = $1`,
        [row.id, sealed, keyId],
      );
    }
  }

  private ownerOf(c: SealedColumn, value: string): SealOwner {
    return 'detentionId' in c.owner ? { detentionId: value } : { subjectPseudonym: value };
  }

  /** Disclosure records from before ADR 0026: the detention id sealed, the keyed hash in its place. */
  private sealLegacyDisclosures(limit: number): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows: { id: string; detention_id: string }[] = await em.query(
        `select r.id::text as id, r.detention_pseudonym as detention_id from disclosure_record r
         where ${LEGACY_DISCLOSURE} limit $1 for update skip locked`,
        [limit],
      );
      for (const r of rows) {
        const sealed = await this.cipher.sealFor(
          Buffer.from(r.detention_id, 'utf8'),
          { detentionId: r.detention_id },
          { context: 'disclosure_record.detention', row: r.id },
          em,
        );
        await em.query(
          `update disclosure_record set detention_pseudonym = $2, detention_sealed = $3, key_id = $4
           where id = $1::uuid`,
          [r.id, this.pseudonyms.pseudonym(r.detention_id), sealed.sealed, sealed.keyId],
        );
      }
      return rows.length;
    });
  }
}

/**
 * A disclosure record written before ADR 0026: its detention id still in clear (a live detention
 * has that id; an erased one's rows hold its pseudonym already, and so does its detention).
 */
const LEGACY_DISCLOSURE = `r.key_id is null and exists (
  select 1 from detention d where d.detention_id = r.detention_pseudonym and d.erased_at is null)`;
