import { Injectable, Logger } from '@nestjs/common';
import { errorName, isInfrastructureFailure } from '@nazorg/messaging';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DetentionErasurePort,
  DetentionPseudonyms,
  ErasureReason,
  RetentionCutoff,
} from '../ports/detention-erasure.port';

const STUB = (column: string) =>
  `jsonb_build_object('id', ${column}->'id', 'source', ${column}->'source', 'type', ${column}->'type',
                      'time', ${column}->'time', 'erased', true)`;

/** No delivery about the detention still waiting: recipients must hear everything first. */
const NOTHING_PENDING = `not exists (select 1 from delivery x where x.detention_id = d.detention_id and x.published_at is null)`;

@Injectable()
export class TypeormDetentionErasure implements DetentionErasurePort {
  private readonly logger = new Logger(TypeormDetentionErasure.name);
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async eraseDelivered(pseudonyms: DetentionPseudonyms, limit: number): Promise<number> {
    const ready: { detention_id: string }[] = await this.dataSource.query(
      `select d.detention_id from detention d
       where d.withdrawn_at is not null and d.erased_at is null and ${NOTHING_PENDING}
       limit $1`,
      [limit],
    );
    return this.eraseAll(
      ready.map((r) => r.detention_id),
      pseudonyms,
      'withdrawn',
    );
  }

  async eraseExpired(
    cutoffs: readonly RetentionCutoff[],
    pseudonyms: DetentionPseudonyms,
    limit: number,
  ): Promise<number> {
    let erased = 0;
    for (const { tenantId, releasedBefore } of cutoffs) {
      const expired: { detention_id: string }[] = await this.dataSource.query(
        `select d.detention_id from detention d
         where d.tenant_id is not distinct from $1 and d.erased_at is null
           and (d.released_at < $2
                -- Of no tenant (unknown municipality, or a start that never came) and never
                -- released: the hub owes no aftercare, so the clock runs from the last event.
                or ($1::text is null and d.released_at is null and d.updated_at < $2))
           and ${NOTHING_PENDING}
         limit $3`,
        [tenantId, releasedBefore, limit],
      );
      erased += await this.eraseAll(
        expired.map((r) => r.detention_id),
        pseudonyms,
        'retention',
      );
    }
    return erased;
  }

  async erasedAmong(pseudonyms: readonly string[]): Promise<Set<string>> {
    if (pseudonyms.length === 0) return new Set();
    const rows: { detention_id: string }[] = await this.dataSource.query(
      `select detention_id from detention
       where detention_id = any($1) and erased_at is not null and superseded_at is null`,
      [pseudonyms],
    );
    return new Set(rows.map((r) => r.detention_id));
  }

  private async eraseAll(
    ids: string[],
    pseudonyms: DetentionPseudonyms,
    reason: ErasureReason,
  ): Promise<number> {
    let erased = 0;
    for (const id of ids) {
      try {
        if (await this.dataSource.transaction((em) => this.eraseOne(em, id, pseudonyms(id), reason)))
          erased++;
      } catch (error) {
        // Retention's batch: the database away stops the pass (it is retried); one detention whose
        // erasure fails on its data does not stop the others' (issue 9), and is tried again on the
        // next pass. A withdrawal's erasure always throws: it must never pass silently. The error's
        // class only: no data, no id.
        if (reason !== 'retention' || isInfrastructureFailure(error)) throw error;
        this.logger.error(
          `erasure (${reason}) of one detention failed: ${errorName(error)}; the others go on`,
        );
      }
    }
    return erased;
  }

  private async eraseOne(
    em: EntityManager,
    id: string,
    keyed: readonly string[],
    reason: ErasureReason,
  ): Promise<boolean> {
    // The erased rows take the current key's pseudonym (ADR 0023).
    const p = keyed[0];
    // Same lock as storing: no event of this detention is stored halfway through its erasure.
    await em.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [id]);
    // Re-check under the lock: an event stored meanwhile may have added deliveries not yet sent.
    const pending: unknown[] = await em.query(
      `select 1 from delivery where detention_id = $1 and published_at is null limit 1`,
      [id],
    );
    if (pending.length > 0) return false;
    // A notification that followed a withdrawn one (ADR 0014) joins the trace of that one: the
    // rows that exist once per detention id keep the later notification's (the withdrawn case
    // counts in no report, and a later alert of the same kind stands for the earlier one).
    await em.query(`delete from detention where detention_id = $1 and superseded_at is not null`, [p]);
    await em.query(
      `delete from aftercare_case where detention_id = $2 and exists (select 1 from aftercare_case where detention_id = $1)`,
      [id, p],
    );
    await em.query(
      `delete from case_alert o where o.detention_id = $2 and exists (
         select 1 from case_alert n where n.detention_id = $1 and n.deadline = o.deadline and n.status = o.status)`,
      [id, p],
    );
    // Sealed values are dropped (crypto-shredding per row); the envelopes stay as a trace.
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
    // The person's blind index goes too: an access request no longer finds the erased detention.
    await em.query(
      `update disclosure_record set detention_id = $2, person_index = null where detention_id = $1`,
      [id, p],
    );
    // Rejected inputs about it (found by the keyed hash they were filed under, before a rotation
    // under a previous key) lose their payload.
    await em.query(
      `update dead_letter set payload = null, key_id = null, status = 'purged'
       where subject_pseudonym = any($1) and payload is not null`,
      [keyed],
    );
    // The case keeps only what the registration report counts: status, tenant, dates, problem kinds.
    await em.query(
      `update aftercare_case set detention_id = $2, person_key = null, state_sealed = null, key_id = null,
         status = case when $3 = 'withdrawn' then 'withdrawn' else status end
       where detention_id = $1`,
      [id, p, reason],
    );
    await em.query(`update case_alert set detention_id = $2 where detention_id = $1`, [id, p]);
    await em.query(`delete from case_refresh where detention_id = $1`, [id]);
    await em.query(
      `update connector_result set event = ${STUB('event')}, event_sealed = null, key_id = null,
         detention_id = $2 where detention_id = $1`,
      [id, p],
    );
    await em.query(
      `update detention set detention_id = $2, erased_at = now(), erasure_reason = $3, person_index = null,
         consent_withdrawn_from = '{}' where detention_id = $1`,
      [id, p, reason],
    );
    return true;
  }
}
