import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's claim as one statement (ADR 0028). It needs sorting off (both its orders come from
 * indexes, also while the statistics still say the table is empty: after a truncate and a flood the
 * planner otherwise scanned every pending row once per candidate), which took a transaction of its
 * own around a `set local`: four round trips per claim. A function carries the setting itself.
 * SKIP LOCKED lets relays claim side by side; a row is claimed only as the first unpublished one of
 * its detention and recipient (stored order, one at a time: a row another relay is claiming right
 * now is unpublished, so the next of its chain waits too); oldest first; never one its consent was
 * withdrawn for (ADR 0025): a row that became due between the withholding and this claim waits.
 */
export class ClaimDueFunction1764129000000 implements MigrationInterface {
  name = 'ClaimDueFunction1764129000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `create function nazorg_claim_due(p_limit int, p_lease_ms double precision, p_withdrawal text)
       returns setof delivery language sql volatile set enable_sort = off as $$
         with due as (
             select d.id from delivery d
             where d.published_at is null and d.parked_at is null
               and (d.next_attempt_at is null or d.next_attempt_at <= clock_timestamp())
               and (d.claimed_until is null or d.claimed_until <= clock_timestamp())
               and not exists (
                 select 1 from detention c
                 where c.detention_id = d.detention_id and d.recipient_kind = any(c.consent_withdrawn_from)
                   and d.message->>'type' <> p_withdrawal)
               and d.id = (
                 select e.id from delivery e
                 where e.detention_id = d.detention_id and e.recipient_id = d.recipient_id
                   and e.published_at is null
                 order by e.seq limit 1)
             order by d.created_at limit p_limit
             for update of d skip locked)
         update delivery x
           set claimed_until = clock_timestamp() + make_interval(secs => p_lease_ms / 1000)
         from due where x.id = due.id
         returning x.*
       $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function nazorg_claim_due(int, double precision, text)`);
  }
}
