import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { DeadLetterStorePort, DeadLetterSummary, RejectedInput } from '../ports/dead-letter-store.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormDeadLetterStore implements DeadLetterStorePort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    private readonly unitOfWork: TypeormUnitOfWork,
  ) {}

  record(input: RejectedInput): Promise<string> {
    // In the caller's unit of work (a Kafka batch) as a savepoint: if the database refuses it,
    // only this write is undone, not the batch.
    return this.unitOfWork.transaction((em) => insertDeadLetter(em, this.cipher, input));
  }

  async list(options: { status?: string; limit: number; offset: number }): Promise<DeadLetterSummary[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select id, channel, received_at, violations, payload_bytes, source, event_id, type, status, replayed_at
       from dead_letter where ($1::text is null or status = $1)
       order by received_at desc limit $2 offset $3`,
      [options.status ?? null, options.limit, options.offset],
    );
    return rows.map((r) => ({
      id: r.id as string,
      channel: r.channel as string,
      receivedAt: r.received_at as Date,
      violations: r.violations as DeadLetterSummary['violations'],
      payloadBytes: r.payload_bytes as number,
      source: r.source as string | null,
      eventId: r.event_id as string | null,
      type: r.type as string | null,
      status: r.status as string,
      replayedAt: r.replayed_at as Date | null,
    }));
  }

  async payloadOf(id: string): Promise<{ payload: Buffer; status: string; channel: string } | undefined> {
    const rows: { payload: Buffer | null; key_id: string | null; status: string; channel: string }[] =
      await this.dataSource.query(`select payload, key_id, status, channel from dead_letter where id = $1`, [
        id,
      ]);
    const row = rows[0];
    if (!row || !row.payload) return undefined;
    // key_id null: written before encryption at rest, still in clear until re-sealed.
    const payload = row.key_id
      ? await this.cipher.open(row.payload, { context: 'dead_letter.payload', row: id })
      : row.payload;
    return { payload, status: row.status, channel: row.channel };
  }

  async purgePayloads(receivedBefore: Date): Promise<number> {
    // Counted through a CTE: TypeORM answers a bare UPDATE with [rows, affected], not rows.
    const [{ count }]: { count: string }[] = await this.dataSource.query(
      `with purged as (
         update dead_letter set payload = null, key_id = null, purged_at = now(),
           status = case when status = 'open' then 'purged' else status end
         where received_at < $1 and payload is not null returning 1)
       select count(*) as count from purged`,
      [receivedBefore],
    );
    return Number(count);
  }

  async markReplayed(id: string): Promise<void> {
    await this.dataSource.query(
      `update dead_letter set status = 'replayed', replayed_at = now() where id = $1`,
      [id],
    );
  }
}

/** Writes a dead letter in the caller's transaction (the event store moves refused events here). */
export async function insertDeadLetter(
  em: EntityManager | DataSource,
  cipher: DataCipherPort,
  input: RejectedInput,
): Promise<string> {
  // Rejected input is as personal as accepted input: sealed like the rest, under its detention's
  // key when it names one (erasure shreds it with the rest), else by the ring. Bound to its row.
  const id = randomUUID();
  const at = { context: 'dead_letter.payload' as const, row: id };
  const sealed = input.subjectPseudonym
    ? await cipher.sealFor(input.payload, { subjectPseudonym: input.subjectPseudonym }, at, em)
    : cipher.sealByRing(input.payload, at);
  const rows: { id: string }[] = await em.query(
    `insert into dead_letter (id, channel, violations, payload, key_id, payload_bytes, source, event_id, type,
                              subject_pseudonym)
     values ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      input.channel,
      JSON.stringify(input.violations),
      sealed.sealed,
      sealed.keyId,
      input.payload.length,
      input.hints.source ?? null,
      input.hints.id ?? null,
      input.hints.type ?? null,
      input.subjectPseudonym,
      id,
    ],
  );
  return rows[0].id;
}
