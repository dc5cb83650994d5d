import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CloudEvent, ConnectorResultData, DetentionEvent, DetentionEventType } from '@nazorg/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import {
  AlertView,
  CaseDecision,
  CaseInput,
  CaseStorePort,
  RegistrationFigures,
} from '../ports/case-store.port';
import { insertDeliveries } from './typeorm-outbox.writer';
import { CASE_REFRESH_CHANNEL, OUTBOX_CHANNEL } from './work-channels';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormCaseStore implements CaseStorePort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    private readonly unitOfWork: TypeormUnitOfWork,
  ) {}

  lockDetentions(ids: readonly string[], { skipLocked }: { skipLocked: boolean }): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    // The same lock as storing an event of this detention. `skipLocked`: only the ones free now;
    // the others stay queued (their holder, storing an event, asks again when it commits), so a
    // pass neither waits for a Kafka batch nor holds one up while it waits for another (ADR 0028).
    // Else all, in one order for every transaction that takes several, so none waits for another's.
    return this.unitOfWork
      .manager()
      .query(
        skipLocked
          ? `select s from unnest($1::text[]) s where pg_try_advisory_xact_lock(hashtextextended(s, 0))`
          : `select s from (select s, hashtextextended(s, 0) h from unnest($1::text[]) s order by h) l
             where pg_advisory_xact_lock(h) is not null`,
        [[...new Set(ids)]],
      )
      .then((rows: { s: string }[]) => rows.map((r) => r.s));
  }

  readInputs(ids: readonly string[]): Promise<CaseInput[]> {
    return ids.length === 0
      ? Promise.resolve([])
      : this.inputsOf(this.unitOfWork.manager(), [...new Set(ids)]);
  }

  async answerRequests(requests: readonly { detentionId: string; requestedAt: string }[]): Promise<string[]> {
    if (requests.length === 0) return [];
    const rows: { detention_id: string }[] = await this.unitOfWork.manager().query(
      `with gone as (
         delete from case_refresh c using unnest($1::text[], $2::timestamptz[]) r(id, at)
         where c.detention_id = r.id and c.requested_at <= r.at returning c.detention_id)
       select detention_id from gone`,
      [requests.map((r) => r.detentionId), requests.map((r) => r.requestedAt)],
    );
    return rows.map((r) => r.detention_id);
  }

  writeCases(
    decided: readonly { input: CaseInput; decision: CaseDecision }[],
  ): Promise<{ newAlerts: number }> {
    if (decided.length === 0) return Promise.resolve({ newAlerts: 0 });
    // The cipher looks up keys on this transaction's connection: from another one of the pool,
    // while this transaction holds the locks that the Kafka batches holding the rest of the pool
    // wait for, it waited for ever (seen with two hubs in the fault suite).
    const em = this.unitOfWork.manager();
    return this.cipher.withKeysOf(
      decided.map(({ input }) => ({ detentionId: input.detentionId })),
      em,
      () => this.write(em, decided),
    );
  }

  /** What `decide` needs of each detention (not erased, with events), read for all at once. */
  private async inputsOf(em: EntityManager, ids: readonly string[]): Promise<CaseInput[]> {
    const detentions: { detention_id: string; tenant_id: string | null }[] = await em.query(
      `select detention_id, tenant_id from detention where detention_id = any($1) and erased_at is null`,
      [ids],
    );
    if (detentions.length === 0) return [];
    const live = detentions.map((d) => d.detention_id);
    const eventRows: {
      id: string;
      detention_id: string;
      event: DetentionEvent;
      event_sealed: Buffer | null;
      received_at: Date;
    }[] = await em.query(
      `select id, detention_id, event, event_sealed, received_at from inbound_event
       where detention_id = any($1) and routing_status <> 'withdrawn'`,
      [live],
    );
    const resultRows: { id: string; detention_id: string; event_sealed: Buffer }[] = await em.query(
      `select id, detention_id, event_sealed from connector_result
       where detention_id = any($1) and event_sealed is not null`,
      [live],
    );
    const current: {
      detention_id: string;
      dpan_answered_at: Date | null;
      warm_handover_sent_for: string | null;
      first: Date | null;
    }[] = await em.query(
      `select detention_id, dpan_answered_at, to_char(warm_handover_sent_for, 'YYYY-MM-DD') as warm_handover_sent_for,
              first_care_contact_at as first
       from aftercare_case where detention_id = any($1)`,
      [live],
    );
    const inputs: CaseInput[] = [];
    for (const d of detentions) {
      const rows = eventRows.filter((r) => r.detention_id === d.detention_id);
      if (rows.length === 0) continue;
      const events: DetentionEvent[] = [];
      for (const r of rows)
        events.push(
          r.event_sealed
            ? await this.cipher.openJson<DetentionEvent>(r.event_sealed, {
                context: 'inbound_event.event',
                row: r.id,
              })
            : r.event,
        );
      const starts = rows
        .filter((_, i) => events[i].type === DetentionEventType.DETENTION_STARTED)
        .map((r) => r.received_at.getTime());
      const results: CloudEvent<ConnectorResultData>[] = [];
      for (const r of resultRows.filter((x) => x.detention_id === d.detention_id))
        results.push(
          await this.cipher.openJson<CloudEvent<ConnectorResultData>>(r.event_sealed, {
            context: 'connector_result.event',
            row: r.id,
          }),
        );
      const now = current.find((c) => c.detention_id === d.detention_id);
      inputs.push({
        detentionId: d.detention_id,
        tenantId: d.tenant_id,
        notifiedAt: starts.length ? new Date(Math.min(...starts)) : null,
        events,
        results,
        current: now
          ? {
              dpanAnsweredAt: now.dpan_answered_at,
              warmHandoverSentFor: now.warm_handover_sent_for,
              firstCareContactAt: now.first,
            }
          : null,
      });
    }
    return inputs;
  }

  /** The cases (one statement), their outbox entries and their new alerts. */
  private async write(
    em: EntityManager,
    decided: readonly { input: CaseInput; decision: CaseDecision }[],
  ): Promise<{ newAlerts: number }> {
    if (decided.length === 0) return { newAlerts: 0 };
    const rows: unknown[][] = [];
    for (const { input, decision } of decided) {
      const r = decision.record;
      const detentionId = input.detentionId;
      // Both under the detention's key, bound to the case's row (its detention id).
      const [conditions, state] = await this.cipher.sealAllFor(
        [
          {
            plain: Buffer.from(JSON.stringify({ problems: r.problems, referrals: r.referrals }), 'utf8'),
            at: { context: 'aftercare_case.conditions', row: detentionId },
          },
          {
            plain: Buffer.from(JSON.stringify(r.state), 'utf8'),
            at: { context: 'aftercare_case.state', row: detentionId },
          },
        ],
        { detentionId },
        em,
      );
      rows.push([
        detentionId,
        r.tenantId,
        r.status,
        r.personKey,
        r.startedAt,
        r.notifiedAt,
        r.expectedReleaseDate,
        r.releasedAt,
        r.screenedAt,
        r.aftercareRequired,
        // Health-related (care needs, an addiction service as partner): sealed, never in clear.
        conditions.sealed,
        r.dpanAnsweredAt,
        r.warmHandoverSentFor,
        r.firstCareContactAt,
        state.sealed,
        state.keyId,
        // The conditions are under the same key (one key per detention, ADR 0026).
        conditions.keyId,
      ]);
    }
    const columns = rows[0].length;
    const values = rows
      .map(
        (_, i) =>
          `(${Array.from({ length: columns }, (_, c) => `$${i * columns + c + 1}`).join(', ')}, now())`,
      )
      .join(', ');
    await em.query(
      `insert into aftercare_case (detention_id, tenant_id, status, person_key, started_at, notified_at,
         expected_release_date, released_at, screened_at, aftercare_required, conditions_sealed,
         dpan_answered_at, warm_handover_sent_for, first_care_contact_at, state_sealed, key_id, conditions_key_id,
         updated_at)
       values ${values}
       on conflict (detention_id) do update set tenant_id = excluded.tenant_id, status = excluded.status,
         person_key = excluded.person_key, started_at = excluded.started_at, notified_at = excluded.notified_at,
         expected_release_date = excluded.expected_release_date, released_at = excluded.released_at,
         screened_at = excluded.screened_at, aftercare_required = excluded.aftercare_required,
         conditions_sealed = excluded.conditions_sealed, conditions_key_id = excluded.conditions_key_id,
         problems = '{}', referrals = '{}', dpan_answered_at = excluded.dpan_answered_at,
         warm_handover_sent_for = excluded.warm_handover_sent_for,
         first_care_contact_at = excluded.first_care_contact_at, state_sealed = excluded.state_sealed,
         key_id = excluded.key_id, updated_at = now()`,
      rows.flat(),
    );
    let outbox = false;
    let newAlerts = 0;
    for (const { input, decision } of decided) {
      if (decision.outbox.length) {
        await insertDeliveries(em, this.cipher, null, input.detentionId, decision.outbox);
        outbox = true;
      }
      const tenantId = decision.record.tenantId;
      if (!tenantId) continue;
      for (const alert of decision.alerts) {
        const inserted: unknown[] = await em.query(
          `insert into case_alert (detention_id, tenant_id, deadline, status, due_on, raised_at)
           values ($1, $2, $3, $4, $5, now()) on conflict do nothing returning id`,
          [input.detentionId, tenantId, alert.deadline, alert.status, alert.dueOn],
        );
        newAlerts += inserted.length;
      }
    }
    if (outbox) await em.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    return { newAlerts };
  }

  async pendingRefreshes(limit: number): Promise<{ detentionId: string; requestedAt: string }[]> {
    // As text: a JS Date would drop the microseconds the delete compares against.
    const rows: { detention_id: string; requested_at: string }[] = await this.dataSource.query(
      `select detention_id, requested_at::text as requested_at from case_refresh where parked_at is null
       order by requested_at limit $1`,
      [limit],
    );
    return rows.map((r) => ({ detentionId: r.detention_id, requestedAt: r.requested_at }));
  }

  async recordProjectionFailure(
    detentionId: string,
    failure: string,
    maxAttempts: number,
  ): Promise<'counted' | 'parked'> {
    const rows: { parked: boolean }[] = await this.dataSource.query(
      `insert into case_refresh (detention_id, failed_attempts, last_error, last_error_at, parked_at)
       values ($1, 1, $2, now(), case when 1 >= $3 then now() end)
       on conflict (detention_id) do update set failed_attempts = case_refresh.failed_attempts + 1,
         last_error = $2, last_error_at = now(),
         parked_at = case when case_refresh.failed_attempts + 1 >= $3 then now() end
       -- Two workers (or two hubs) may fail on the same case at once: once parked, it counts no more.
       where case_refresh.parked_at is null
       returning parked_at is not null as parked`,
      [detentionId, failure.slice(0, 200), maxAttempts],
    );
    return rows.length === 0 || rows[0].parked ? 'parked' : 'counted';
  }

  async retryParkedProjections(): Promise<number> {
    // A select around the update: TypeORM answers a bare UPDATE with [rows, count].
    const [{ retried }]: { retried: number }[] = await this.dataSource.query(
      `with retried as (
         update case_refresh set failed_attempts = 0, parked_at = null, requested_at = clock_timestamp()
         where parked_at is not null returning 1)
       select count(*)::int as retried from retried`,
    );
    // Wakes the hubs' refresh workers now rather than at their next poll.
    if (retried > 0) await this.dataSource.query(`select pg_notify($1, '')`, [CASE_REFRESH_CHANNEL]);
    return retried;
  }

  async openCases(after: string | null, limit: number, releasedSince: Date): Promise<string[]> {
    const rows: { detention_id: string }[] = await this.dataSource.query(
      `select detention_id from aftercare_case
       where (status = 'detained' or (status = 'released' and released_at >= $2))
         and ($1::text is null or detention_id > $1)
         and not exists (select 1 from case_refresh r
                         where r.detention_id = aftercare_case.detention_id and r.parked_at is not null)
       order by detention_id limit $3`,
      [after, releasedSince, limit],
    );
    return rows.map((r) => r.detention_id);
  }

  async find(
    detentionId: string,
  ): Promise<{ tenantId: string | null; state: Record<string, unknown> } | undefined> {
    const rows: { tenant_id: string | null; state_sealed: Buffer | null }[] = await this.dataSource.query(
      `select tenant_id, state_sealed from aftercare_case where detention_id = $1`,
      [detentionId],
    );
    if (!rows[0]?.state_sealed) return undefined;
    return {
      tenantId: rows[0].tenant_id,
      state: await this.cipher.openJson(rows[0].state_sealed, {
        context: 'aftercare_case.state',
        row: detentionId,
      }),
    };
  }

  async alerts(tenantId: string | null, limit: number): Promise<AlertView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select a.detention_id, a.tenant_id, a.deadline, a.status, to_char(a.due_on, 'YYYY-MM-DD') as due_on,
              a.raised_at, d.erased_at is not null as erased
       from case_alert a left join detention d on d.detention_id = a.detention_id
       where ($1::text is null or a.tenant_id = $1) order by a.raised_at desc, a.id limit $2`,
      [tenantId, limit],
    );
    return rows.map((r) => ({
      detentionId: r.detention_id as string,
      erased: r.erased === true,
      tenantId: r.tenant_id as string,
      deadline: r.deadline as string,
      status: r.status as string,
      dueOn: r.due_on as string,
      raisedAt: r.raised_at as Date,
    }));
  }

  async registrationFigures(tenantId: string, from: Date, to: Date): Promise<RegistrationFigures> {
    const scope = `tenant_id = $1 and started_at >= $2 and started_at < $3`;
    const params = [tenantId, from, to];
    const [totals]: Record<string, string | null>[] = await this.dataSource.query(
      `select count(*) as notifications,
              count(distinct person_key) as unique_persons,
              count(*) filter (where coalesce(released_at::date, expected_release_date) is not null) as known_length,
              count(*) filter (where coalesce(released_at::date, expected_release_date) - started_at::date < 90)
                as under_90,
              count(screened_at) as screened,
              percentile_cont(0.5) within group (order by extract(epoch from dpan_answered_at - started_at) / 86400)
                as median_answer,
              percentile_cont(0.5) within group (
                order by extract(epoch from first_care_contact_at - released_at) / 86400) as median_care
       from aftercare_case where ${scope} and status <> 'withdrawn'`,
      params,
    );
    // Counted here, not in SQL: the problem kinds and partners are sealed (erased cases from before
    // sealing keep them in clear under the keyed hash, and count from there).
    const conditionRows: { id: string; sealed: Buffer | null; problems: string[]; referrals: string[] }[] =
      await this.dataSource.query(
        `select detention_id as id, conditions_sealed as sealed, problems, referrals from aftercare_case
         where ${scope} and status <> 'withdrawn'`,
        params,
      );
    const tally = { problems: new Map<string, number>(), referrals: new Map<string, number>() };
    for (const row of conditionRows) {
      const conditions = row.sealed
        ? await this.cipher.openJson<{ problems: string[]; referrals: string[] }>(row.sealed, {
            context: 'aftercare_case.conditions',
            row: row.id,
          })
        : { problems: row.problems, referrals: row.referrals };
      for (const column of ['problems', 'referrals'] as const)
        for (const item of new Set(conditions[column]))
          tally[column].set(item, (tally[column].get(item) ?? 0) + 1);
    }
    const count = (column: 'problems' | 'referrals') =>
      Object.fromEntries([...tally[column]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const round = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
    return {
      notifications: Number(totals.notifications),
      uniquePersons: Number(totals.unique_persons),
      withKnownLength: Number(totals.known_length),
      under90Days: Number(totals.under_90),
      screened: Number(totals.screened),
      problemsPerCondition: count('problems'),
      referralsPerPartner: count('referrals'),
      medianDaysToMunicipalAnswer: round(totals.median_answer),
      medianDaysReleaseToFirstCareContact: round(totals.median_care),
    };
  }
}
