import { Inject, Injectable, Logger } from '@nestjs/common';
import { errorName, isInfrastructureFailure } from '@nazorg/messaging';
import { erasedDeliveryId, erasedEventId, erasedTraceId, KeyedHash } from '@nazorg/privacy';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DetentionErasurePort, ErasureReason, RetentionCutoff } from '../ports/detention-erasure.port';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { DETENTION_KEYS, DetentionKeysPort } from '../encryption/detention-keys.port';

/** What an erased payload keeps: no id (the feed's ids lead back to the person, ADR 0024). */
const STUB = (column: string) =>
  `jsonb_build_object('source', ${column}->'source', 'type', ${column}->'type',
                      'time', ${column}->'time', 'erased', true)`;

/** No delivery about the detention still waiting: recipients must hear everything first. */
const NOTHING_PENDING = `not exists (select 1 from delivery x where x.detention_id = d.detention_id and x.published_at is null)`;

@Injectable()
export class TypeormDetentionErasure implements DetentionErasurePort {
  private readonly logger = new Logger(TypeormDetentionErasure.name);
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DETENTION_KEYS) private readonly detentionKeys: DetentionKeysPort,
    @Inject(DATA_CIPHER) private readonly cipher: Pick<DataCipherPort, 'forget'>,
  ) {}

  async eraseDelivered(keys: KeyedHash, limit: number): Promise<number> {
    const ready: { detention_id: string }[] = await this.dataSource.query(
      `select d.detention_id from detention d
       where d.withdrawn_at is not null and d.erased_at is null and ${NOTHING_PENDING}
       limit $1`,
      [limit],
    );
    return this.eraseAll(
      ready.map((r) => r.detention_id),
      keys,
      'withdrawn',
    );
  }

  async eraseExpired(cutoffs: readonly RetentionCutoff[], keys: KeyedHash, limit: number): Promise<number> {
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
        keys,
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

  private async eraseAll(ids: string[], keys: KeyedHash, reason: ErasureReason): Promise<number> {
    let erased = 0;
    for (const id of ids) {
      try {
        const destroyed = await this.dataSource.transaction((em) => this.eraseOne(em, id, keys, reason));
        if (destroyed) {
          // Committed: this hub forgets the unwrapped keys too (others let theirs expire).
          this.cipher.forget(destroyed);
          erased++;
        }
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
    keys: KeyedHash,
    reason: ErasureReason,
  ): Promise<string[] | false> {
    const p = keys.pseudonym(id);
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
    // Sealed values are dropped; the envelopes stay as a trace, under
    // keyed event ids: a re-sent event is still a duplicate, but DJI's ids no longer find it.
    const events: { id: string; source: string; event_id: string }[] = await em.query(
      `select id, source, event_id from inbound_event where detention_id = $1`,
      [id],
    );
    await em.query(
      `update inbound_event e set event = ${STUB('e.event')}, event_sealed = null, key_id = null,
         detention_id = $3, event_id = f.keyed
       from unnest($1::uuid[], $2::text[]) f (id, keyed) where e.id = f.id`,
      [events.map((e) => e.id), events.map((e) => erasedEventId(keys, e.source, e.event_id)), p],
    );
    // Delivery ids are name-based UUIDs of the feed's event ids: keyed anew, and the disclosure
    // records follow (on update cascade). The trace context came from the chain's correlation id.
    const deliveries: { id: string }[] = await em.query(`select id from delivery where detention_id = $1`, [
      id,
    ]);
    await em.query(
      `update delivery d set message = ${STUB('d.message')}, message_sealed = null, key_id = null,
         detention_id = $3, id = f.keyed, trace_context = null, last_error = null
       from unnest($1::uuid[], $2::uuid[]) f (id, keyed) where d.id = f.id`,
      [deliveries.map((d) => d.id), deliveries.map((d) => erasedDeliveryId(keys, d.id)), p],
    );
    // The disclosure log keeps who received what, when and why; the sealed detention id and the
    // person's blind index go (an access request no longer finds it). Filed under the keyed hash
    // (a previous key's before a rotation), or in clear when written before ADR 0026.
    const filedUnder = [...keys.candidates(id), id];
    const traces: { trace_id: string }[] = await em.query(
      `select distinct trace_id from disclosure_record where detention_pseudonym = any($1)`,
      [filedUnder],
    );
    await em.query(
      `update disclosure_record r set detention_pseudonym = $3, detention_sealed = null, key_id = null,
         person_index = null, trace_id = f.keyed
       from unnest($1::text[], $2::text[]) f (trace_id, keyed)
       where r.detention_pseudonym = any($4) and r.trace_id = f.trace_id`,
      [traces.map((t) => t.trace_id), traces.map((t) => erasedTraceId(keys, t.trace_id)), p, filedUnder],
    );
    // Rejected inputs about it (found by the keyed hash they were filed under, before a rotation
    // under a previous key: ADR 0023) lose their payload,
    // the event id they were filed with and the paths of what was wrong (what the input held).
    await em.query(
      `update dead_letter set payload = null, key_id = null, event_id = null, violations = '[]'::jsonb,
         status = case when status = 'open' then 'purged' else status end,
         purged_at = coalesce(purged_at, now())
       where subject_pseudonym = any($1)
         and (payload is not null or event_id is not null or violations <> '[]'::jsonb)`,
      [keys.candidates(id)],
    );
    // The case keeps only what the registration report counts: status, tenant, dates. The problem
    // kinds and care partners are health data: they go (sealed or, from before sealing, in clear).
    await em.query(
      `update aftercare_case set detention_id = $2, person_key = null, state_sealed = null, key_id = null,
         conditions_sealed = null, conditions_key_id = null, problems = '{}', referrals = '{}',
         status = case when $3 = 'withdrawn' then 'withdrawn' else status end
       where detention_id = $1`,
      [id, p, reason],
    );
    await em.query(`update case_alert set detention_id = $2 where detention_id = $1`, [id, p]);
    await em.query(`delete from case_refresh where detention_id = $1`, [id]);
    // Result ids are name-based on the delivery id, so on the feed's event id: keyed too.
    const results: { id: string; source: string; event_id: string }[] = await em.query(
      `select id, source, event_id from connector_result where detention_id = $1`,
      [id],
    );
    await em.query(
      `update connector_result c set event = ${STUB('c.event')}, event_sealed = null, key_id = null,
         detention_id = $3, event_id = f.keyed
       from unnest($1::uuid[], $2::text[]) f (id, keyed) where c.id = f.id`,
      [results.map((r) => r.id), results.map((r) => erasedEventId(keys, r.source, r.event_id)), p],
    );
    await em.query(
      `update detention set detention_id = $2, erased_at = now(), erasure_reason = $3, person_index = null,
         consent_withdrawn_from = '{}' where detention_id = $1`,
      [id, p, reason],
    );
    // Crypto-shredding (ADR 0026): the detention's data keys (one per pseudonym key it was sealed
    // under) go last. Whatever copy of its sealed values is left (a backup, the WAL, a dead tuple)
    // no longer opens once the ring key that wrapped them is retired too.
    return this.detentionKeys.destroy(keys.candidates(id), em);
  }
}
