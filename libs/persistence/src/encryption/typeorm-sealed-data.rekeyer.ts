import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { envelopeOf } from '../adapters/typeorm-event.store';
import { DATA_CIPHER, DataCipherPort, SealContext } from './data-cipher.port';
import { SealedDataRekeyerPort, SealedValueCensus } from './sealed-data-rekeyer.port';

interface SealedColumn {
  table: string;
  sealed: string;
  /** The jsonb column that held the value in clear before encryption at rest (it keeps the envelope). */
  clearJson?: string;
  context: SealContext;
  /** Primary key column (default `id`). */
  key?: string;
  /** The column naming the sealing key (default `key_id`). */
  keyId?: string;
}

const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'inbound_event', sealed: 'event_sealed', clearJson: 'event', context: 'inbound_event.event' },
  { table: 'delivery', sealed: 'message_sealed', clearJson: 'message', context: 'delivery.message' },
  {
    table: 'connector_result',
    sealed: 'event_sealed',
    clearJson: 'event',
    context: 'connector_result.event',
  },
  { table: 'dead_letter', sealed: 'payload', context: 'dead_letter.payload' },
  { table: 'aftercare_case', sealed: 'state_sealed', context: 'aftercare_case.state', key: 'detention_id' },
  {
    table: 'aftercare_case',
    sealed: 'conditions_sealed',
    context: 'aftercare_case.conditions',
    key: 'detention_id',
    keyId: 'conditions_key_id',
  },
];

/** Values still in clear: written before the migration that introduced sealing, and not erased. */
function inClear(c: SealedColumn): string {
  const keyId = c.keyId ?? 'key_id';
  return c.clearJson
    ? `(${keyId} is null and ${c.sealed} is null and not (${c.clearJson} ? 'erased'))`
    : `(${keyId} is null and ${c.sealed} is not null)`;
}

@Injectable()
export class TypeormSealedDataRekeyer implements SealedDataRekeyerPort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  async census(): Promise<SealedValueCensus> {
    const census: SealedValueCensus = {};
    for (const c of SEALED_COLUMNS) {
      const rows: { key: string; count: string }[] = await this.dataSource.query(
        `select coalesce(${c.keyId ?? 'key_id'}, 'clear') as key, count(*) as count from ${c.table}
         where ${c.keyId ?? 'key_id'} is not null or ${inClear(c)} group by 1`,
      );
      for (const r of rows) census[r.key] = (census[r.key] ?? 0) + Number(r.count);
    }
    return census;
  }

  async resealBatch(limit: number): Promise<number> {
    let resealed = 0;
    for (const c of SEALED_COLUMNS) {
      const keyId = c.keyId ?? 'key_id';
      resealed += await this.dataSource.transaction(async (em) => {
        const rows: Record<string, unknown>[] = await em.query(
          `select ${c.key ?? 'id'} as id, ${keyId} as key_id, ${c.sealed} as sealed${c.clearJson ? `, ${c.clearJson} as clear` : ''}
           from ${c.table}
           where (${keyId} is not null and ${keyId} <> $1) or ${inClear(c)}
           limit $2 for update skip locked`,
          [this.cipher.activeKeyId, limit],
        );
        for (const row of rows) {
          const plain: Buffer = row.key_id
            ? this.cipher.open(row.sealed as Buffer, c.context)
            : c.clearJson
              ? Buffer.from(JSON.stringify(row.clear), 'utf8')
              : (row.sealed as Buffer);
          const sealed = this.cipher.seal(plain, c.context);
          if (c.clearJson && !row.key_id) {
            await em.query(
              `update ${c.table} set ${c.sealed} = $2, key_id = $3, ${c.clearJson} = $4 where ${c.key ?? 'id'} = $1`,
              [row.id, sealed, this.cipher.activeKeyId, envelopeOf(row.clear as never)],
            );
          } else {
            await em.query(
              `update ${c.table} set ${c.sealed} = $2, ${keyId} = $3 where ${c.key ?? 'id'} = $1`,
              [row.id, sealed, this.cipher.activeKeyId],
            );
          }
        }
        return rows.length;
      });
    }
    return resealed;
  }
}
