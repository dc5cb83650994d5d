import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DetentionErasurePort } from '../ports/detention-erasure.port';

const STUB = (column: string) =>
  `jsonb_build_object('id', ${column}->'id', 'source', ${column}->'source', 'type', ${column}->'type',
                      'time', ${column}->'time', 'erased', true)`;

@Injectable()
export class TypeormDetentionErasure implements DetentionErasurePort {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async eraseDelivered(pseudonym: (detentionId: string) => string, limit: number): Promise<number> {
    const ready: { detention_id: string }[] = await this.dataSource.query(
      `select d.detention_id from detention d
       where d.withdrawn_at is not null and d.erased_at is null
         and not exists (select 1 from delivery x where x.detention_id = d.detention_id and x.published_at is null)
       limit $1`,
      [limit],
    );
    let erased = 0;
    for (const { detention_id: id } of ready) {
      const p = pseudonym(id);
      await this.dataSource.transaction(async (em) => {
        // Same lock as storing: no event of this detention is stored halfway through its erasure.
        await em.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [id]);
        // Re-check under the lock: an event stored meanwhile may have added deliveries not yet sent.
        const pending: unknown[] = await em.query(
          `select 1 from delivery where detention_id = $1 and published_at is null limit 1`,
          [id],
        );
        if (pending.length > 0) return;
        await em.query(
          `update inbound_event set event = ${STUB('event')}, event_sealed = null, key_id = null, detention_id = $2
           where detention_id = $1`,
          [id, p],
        );
        await em.query(
          `update delivery set message = ${STUB('message')}, message_sealed = null, key_id = null, detention_id = $2
           where detention_id = $1`,
          [id, p],
        );
        await em.query(`update disclosure_record set detention_id = $2 where detention_id = $1`, [id, p]);
        await em.query(
          `update connector_result set event = ${STUB('event')}, event_sealed = null, key_id = null,
             detention_id = $2 where detention_id = $1`,
          [id, p],
        );
        await em.query(`update detention set detention_id = $2, erased_at = now() where detention_id = $1`, [
          id,
          p,
        ]);
        erased++;
      });
    }
    return erased;
  }
}
