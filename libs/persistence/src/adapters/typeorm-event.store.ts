import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DetentionEvent,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  Violation,
} from '@nazorg/contracts';
import { DataSource, EntityManager } from 'typeorm';
import {
  DisplacedEvent,
  EventRouter,
  EventStorePort,
  IngressChannel,
  KnownDetention,
  KnownFactsCheck,
  OutboxEntry,
  RecordOutcome,
  RoutingStatus,
} from '../ports/event-store.port';
import { currentTraceContext } from '@nazorg/observability';
import { consentWithdrawnFrom } from '@nazorg/privacy';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import {
  BatchDetention,
  EventBatch,
  insertDeliveryRows,
  LiveDetention,
  PendingDelivery,
  StoredEvent,
} from './event-batch';
import { insertDeadLetter } from './typeorm-dead-letter.store';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

export const OUTBOX_CHANNEL = 'nazorg_outbox';
/** Notified when a detention's case needs re-projecting (CaseRefreshWorker listens). */
export const CASE_REFRESH_CHANNEL = 'nazorg_case_refresh';

/** Asks for the detention's case to be re-projected, in the caller's transaction. */
export async function requestCaseRefresh(
  em: EntityManager | DataSource,
  detentionId: string,
  /** false: the caller NOTIFYs itself (once per transaction). */
  notify = true,
): Promise<void> {
  await em.query(
    // A new input may change what the projection meets: it gets its own attempts (ADR 0013).
    `insert into case_refresh (detention_id) values ($1)
     on conflict (detention_id) do update set requested_at = clock_timestamp(), failed_attempts = 0,
       last_error = null, last_error_at = null, parked_at = null`,
    [detentionId],
  );
  if (notify) await em.query(`select pg_notify($1, '')`, [CASE_REFRESH_CHANNEL]);
}

/**
 * Inbox + outbox in one transaction. Events of one detention are serialised by a transaction-scoped
 * advisory lock, so out-of-order arrivals (a screening before its start) converge: an event whose
 * detention has no known origin yet waits as `awaiting-origin` and is routed when the start arrives.
 */
@Injectable()
export class TypeormEventStore implements EventStorePort {
  /** The batch `inBatch` runs, for the `record` calls inside it. */
  private readonly batches = new AsyncLocalStorage<EventBatch>();

  constructor(
    private readonly unitOfWork: TypeormUnitOfWork,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  inBatch<T>(events: readonly DetentionEvent[], router: EventRouter, work: () => Promise<T>): Promise<T> {
    return this.unitOfWork.transaction(async (em) => {
      const batch = await this.readBatch(em, events, router);
      const owners = [...batch.detentions.keys()].map((detentionId) => ({ detentionId }));
      return this.cipher.withKeysOf(owners, em, async () => {
        const result = await this.batches.run(batch, work);
        await batch.flush(em);
        return result;
      });
    });
  }

  /**
   * What the batch's events need of their detentions, under all their locks, in a few statements.
   * A detention with an erased trace is left out (its events take the one-by-one way).
   */
  private async readBatch(
    em: EntityManager,
    events: readonly DetentionEvent[],
    router: EventRouter,
  ): Promise<EventBatch> {
    const batch = new EventBatch();
    const subjects = [...new Set(events.map((e) => e.subject))];
    if (subjects.length === 0) return batch;
    // In one order for every batch, so that two batches never wait for each other's locks.
    await em.query(
      `select count(pg_advisory_xact_lock(h)) from
         (select distinct hashtextextended(s, 0) h from unnest($1::text[]) s order by h) l`,
      [subjects],
    );
    const live: (LiveDetention & { detention_id: string })[] = await em.query(
      `select detention_id, origin_known, tenant_id, stale_before, withdrawn_at, consent_withdrawn_from
       from detention where detention_id = any($1)`,
      [subjects],
    );
    const liveById = new Map(live.map((d) => [d.detention_id, d]));
    const candidates = new Map<string, string>();
    for (const subject of subjects)
      if (!liveById.has(subject))
        for (const c of router.pseudonymCandidates(subject)) candidates.set(c, subject);
    const erased: { detention_id: string }[] = candidates.size
      ? await em.query(
          `select detention_id from detention
           where detention_id = any($1) and erased_at is not null and superseded_at is null`,
          [[...candidates.keys()]],
        )
      : [];
    const withTrace = new Set(erased.map((e) => candidates.get(e.detention_id)));
    const ids = events.flatMap((e) =>
      [e.id, ...router.erasedEventIds(e.source, e.id)].map((id) => ({ source: e.source, id })),
    );
    const seen: { source: string; event_id: string }[] = await em.query(
      `select i.source, i.event_id from inbound_event i
       join unnest($1::text[], $2::text[]) v(source, id) on i.source = v.source and i.event_id = v.id`,
      [ids.map((i) => i.source), ids.map((i) => i.id)],
    );
    for (const i of ids) batch.checked.add(EventBatch.key(i.source, i.id));
    for (const r of seen) batch.stored.add(EventBatch.key(r.source, r.event_id));
    const rows: {
      id: string;
      detention_id: string;
      channel: IngressChannel;
      routing_status: RoutingStatus;
      event: DetentionEvent;
      event_sealed: Buffer | null;
    }[] = live.length
      ? await em.query(
          `select id, detention_id, channel, routing_status, event, event_sealed from inbound_event
           where detention_id = any($1) and routing_status <> 'withdrawn' order by received_at, id`,
          [live.map((d) => d.detention_id)],
        )
      : [];
    for (const subject of subjects) {
      if (withTrace.has(subject)) continue;
      batch.detentions.set(subject, { live: liveById.get(subject) ?? null, rows: [] });
    }
    for (const r of rows)
      batch.detentions.get(r.detention_id)?.rows.push({
        id: r.id,
        channel: r.channel,
        routingStatus: r.routing_status,
        event: await this.opened(r.id, r.event_sealed, r.event),
      });
    return batch;
  }

  async record(
    event: DetentionEvent,
    channel: IngressChannel,
    router: EventRouter,
    check: KnownFactsCheck,
  ): Promise<RecordOutcome> {
    const batch = this.batches.getStore();
    if (batch) {
      const detention = batch.detentions.get(event.subject);
      const recorded = detention && this.recordInBatch(batch, detention, event, channel, router, check);
      if (recorded) return recorded;
      // The one-by-one way reads the database: what the batch holds goes there first, and the
      // detention's later events in the batch take this way too (the batch no longer knows it).
      if (detention) {
        await batch.flush(this.unitOfWork.manager());
        batch.detentions.delete(event.subject);
      }
    }
    return this.recordOne(event, channel, router, check);
  }

  /**
   * `recordOne` in memory, for the common events of a batch (ADR 0028): the same decisions on what
   * the batch read, its rows written at the batch's end. Undefined for any other event (a
   * withdrawal, a consent that changes, an erased or withdrawn detention, a start refusing waiters,
   * an event the batch did not look up): that one takes the one-by-one way.
   */
  private recordInBatch(
    batch: EventBatch,
    detention: BatchDetention,
    event: DetentionEvent,
    channel: IngressChannel,
    router: EventRouter,
    check: KnownFactsCheck,
  ): Promise<RecordOutcome> | undefined {
    const keys = [event.id, ...router.erasedEventIds(event.source, event.id)].map((id) =>
      EventBatch.key(event.source, id),
    );
    if (!keys.every((k) => batch.checked.has(k))) return undefined;
    const { live } = detention;
    if (live?.withdrawn_at || live?.stale_before) return undefined;
    if (event.type === DetentionEventType.NOTIFICATION_WITHDRAWN) return undefined;
    if (keys.some((k) => batch.stored.has(k))) return Promise.resolve({ outcome: 'duplicate' });
    const origin = live?.origin_known ? { tenantId: live.tenant_id } : null;
    const isStart = event.type === DetentionEventType.DETENTION_STARTED;
    if (isStart && origin === null && this.contradictedWaiters(check, event, detention.rows).length > 0)
      return undefined;
    const violations = check.violations(event, { origin, events: detention.rows.map((r) => r.event) });
    if (violations.length > 0) return Promise.resolve({ outcome: 'inconsistent', violations });
    const consent = live?.consent_withdrawn_from ?? [];
    if (event.type === DetentionEventType.SCREENING_COMPLETED) {
      const withdrawn = consentWithdrawnFrom([...detention.rows.map((r) => r.event), event]);
      if (withdrawn.length !== consent.length || withdrawn.some((k) => !consent.includes(k)))
        return undefined;
    }
    return this.recordedInBatch(batch, detention, event, channel, router, { isStart, consent });
  }

  private async recordedInBatch(
    batch: EventBatch,
    detention: BatchDetention,
    event: DetentionEvent,
    channel: IngressChannel,
    router: EventRouter,
    { isStart, consent }: { isStart: boolean; consent: readonly string[] },
  ): Promise<RecordOutcome> {
    const em = this.unitOfWork.manager();
    const id = randomUUID();
    const live: LiveDetention = detention.live ?? {
      origin_known: false,
      tenant_id: null,
      stale_before: null,
      withdrawn_at: null,
      consent_withdrawn_from: [],
    };
    let toRoute: StoredEvent[];
    let tenantId: string | null;
    const own: StoredEvent = { id, channel, routingStatus: 'awaiting-origin', event };
    if (isStart) {
      tenantId = router.tenantOf(event);
      const started = event.data as DetentionStartedData;
      batch.start({
        detentionId: event.subject,
        municipalityOfOrigin: started.municipalityOfOrigin,
        tenantId,
        personIndex: router.personIndex(started.person.bsn),
      });
      // As in `recordOne`: the detention's first tenant gets what it stored unrouted before.
      const firstTenant = tenantId !== null && live.origin_known && live.tenant_id === null;
      toRoute = [
        own,
        ...detention.rows.filter(
          (r) =>
            r.routingStatus === 'awaiting-origin' ||
            (firstTenant &&
              r.routingStatus === 'unrouted' &&
              r.event.type !== DetentionEventType.DETENTION_STARTED),
        ),
      ];
      live.origin_known = true;
      live.tenant_id = tenantId;
    } else {
      batch.touch(event.subject);
      if (event.type === DetentionEventType.DETENTION_RELEASED)
        batch.release(event.subject, (event.data as DetentionReleasedData).releasedAt);
      tenantId = live.tenant_id;
      toRoute = live.origin_known ? [own] : [];
    }
    detention.live = live;
    const sealed = await this.cipher.sealJsonFor(
      event,
      { detentionId: event.subject },
      { context: 'inbound_event.event', row: id },
      em,
    );
    let deliveries = 0;
    const status: RoutingStatus = tenantId ? 'routed' : 'unrouted';
    for (const item of toRoute) {
      const planned = router.plan(item.event, {
        tenantId,
        previousRecipientIds: [],
        consentWithdrawnFrom: consent,
      });
      batch.addDeliveries(await deliveryRowsOf(em, this.cipher, item.id, event.subject, planned));
      deliveries += planned.length;
      if (item !== own) batch.setStatus(item.id, status, tenantId);
      item.routingStatus = status;
    }
    batch.addEvent({
      id,
      source: event.source,
      eventId: event.id,
      type: event.type,
      detentionId: event.subject,
      channel,
      envelope: envelopeOf(event),
      sealed,
      routingStatus: own.routingStatus,
      tenantId: toRoute.length ? tenantId : null,
    });
    detention.rows.push(own);
    if (toRoute.length === 0)
      return { outcome: 'stored', eventRef: id, routingStatus: 'awaiting-origin', deliveries: 0 };
    if (deliveries > 0) await this.unitOfWork.notifyOnCommit(OUTBOX_CHANNEL);
    // The case follows in its own transaction (the worker), never in this hot path.
    batch.requestCaseRefresh(event.subject);
    await this.unitOfWork.notifyOnCommit(CASE_REFRESH_CHANNEL);
    return { outcome: 'stored', eventRef: id, routingStatus: own.routingStatus, deliveries };
  }

  private recordOne(
    event: DetentionEvent,
    channel: IngressChannel,
    router: EventRouter,
    check: KnownFactsCheck,
  ): Promise<RecordOutcome> {
    // Its own transaction, or a savepoint of the caller's unit of work (a Kafka batch's).
    return this.unitOfWork.transaction(async (em) => {
      await em.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [event.subject]);
      const notification = await this.notificationOf(em, event, router);
      if (notification.inert) return this.recordInert(em, event, channel, router);
      // Also under its keyed id: the start of a withdrawn, erased notification sent again is that
      // start, not a new notification (ADR 0014, 0024).
      const duplicate: unknown[] = await em.query(
        `select 1 from inbound_event where source = $1 and event_id = any($2)`,
        [event.source, [event.id, ...router.erasedEventIds(event.source, event.id)]],
      );
      if (duplicate.length > 0) return { outcome: 'duplicate' };
      // Under the lock, so no other event of the detention changes what is known meanwhile.
      const known = await this.known(em, event.subject, notification.live);
      // The start is the anchor: events that waited for it were routed to no one, so those that
      // contradict it are refused, not the start (one wrong early event must not block the case).
      const displacing =
        event.type === DetentionEventType.DETENTION_STARTED && known.origin === null
          ? this.contradictedWaiters(check, event, known.rows)
          : [];
      const displacedRefs = new Set(displacing.map((d) => d.row.id));
      const violations = check.violations(event, {
        origin: known.origin,
        events: known.rows.filter((r) => !displacedRefs.has(r.id)).map((r) => r.event),
      });
      if (violations.length > 0) return { outcome: 'inconsistent', violations };
      const displaced = await this.displace(em, event.subject, displacing, known.rows, router);
      if (notification.renotifies) {
        // A new notification after a withdrawn one: the erased trace stays, as the old one's.
        await em.query(`update detention set superseded_at = now() where detention_id = $1`, [
          notification.renotifies.pseudonym,
        ]);
        await em.query(
          `insert into detention (detention_id, origin_known, stale_before) values ($1, false, $2)`,
          [event.subject, notification.renotifies.staleBefore],
        );
      }
      // The id is the sealed value's row, bound into it: chosen here, not by the database.
      const id = randomUUID();
      const sealed = await this.cipher.sealJsonFor(
        event,
        { detentionId: event.subject },
        { context: 'inbound_event.event', row: id },
        em,
      );
      const inserted: { id: string }[] = await em.query(
        `insert into inbound_event (id, source, event_id, type, detention_id, channel, event, event_sealed, key_id,
                                    routing_status)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'awaiting-origin')
         on conflict (source, event_id) do nothing returning id`,
        [
          id,
          event.source,
          event.id,
          event.type,
          event.subject,
          channel,
          envelopeOf(event),
          sealed.sealed,
          sealed.keyId,
        ],
      );
      if (inserted.length === 0) return { outcome: 'duplicate' };
      const eventRef = inserted[0].id;

      let toRoute: { id: string; event: DetentionEvent }[];
      let tenantId: string | null;
      // Whether the detention's withdrawal was stored before this event (its erasure still pending).
      let withdrawn = notification.live?.withdrawn_at != null;
      if (event.type === DetentionEventType.DETENTION_STARTED) {
        tenantId = router.tenantOf(event);
        const started = event.data as DetentionStartedData;
        await em.query(
          `insert into detention (detention_id, origin_known, municipality_of_origin, tenant_id, person_index)
           values ($1, true, $2, $3, $4)
           on conflict (detention_id) do update
             set origin_known = true, municipality_of_origin = $2, tenant_id = $3, person_index = $4,
                 updated_at = now()`,
          [event.subject, started.municipalityOfOrigin, tenantId, router.personIndex(started.person.bsn)],
        );
        // A detention no tenant has seen gets its first one (the facts check let nothing else
        // through): what it stored unrouted reaches that tenant as if it had waited for this start,
        // except the start this one corrects (the case folds both; recipients need one).
        const firstTenant =
          tenantId !== null &&
          notification.live?.origin_known === true &&
          notification.live.tenant_id === null;
        // This start first, then whatever arrived before it, in arrival order.
        const waiting: { id: string; event: DetentionEvent; event_sealed: Buffer | null }[] = await em.query(
          `select id, event, event_sealed from inbound_event
           where detention_id = $1 and id <> $2
             and (routing_status = 'awaiting-origin' or ($3 and routing_status = 'unrouted' and type <> $4))
           order by received_at, id`,
          [event.subject, eventRef, firstTenant, DetentionEventType.DETENTION_STARTED],
        );
        toRoute = [{ id: eventRef, event }];
        for (const w of waiting)
          toRoute.push({ id: w.id, event: await this.opened(w.id, w.event_sealed, w.event) });
      } else {
        const rows: { origin_known: boolean; tenant_id: string | null; withdrawn_at: Date | null }[] =
          await em.query(
            `insert into detention (detention_id, origin_known) values ($1, false)
             on conflict (detention_id) do update set updated_at = now()
             returning origin_known, tenant_id, withdrawn_at`,
            [event.subject],
          );
        withdrawn = rows[0].withdrawn_at !== null;
        // Recorded at once, also while the start is missing: a withdrawal or release that never finds
        // its start must still lead to erasure (withdrawal) or count for retention (release).
        await this.recordLifecycleDates(em, event);
        if (event.type === DetentionEventType.SCREENING_COMPLETED)
          await this.recordConsent(em, event.subject, [...known.rows.map((r) => r.event), event]);
        if (!rows[0].origin_known) {
          return { outcome: 'stored', eventRef, routingStatus: 'awaiting-origin', deliveries: 0 };
        }
        tenantId = rows[0].tenant_id;
        toRoute = [{ id: eventRef, event }];
      }
      const more = displaced.length > 0 ? { displaced } : {};

      let deliveries = 0;
      let ownStatus: RoutingStatus = 'unrouted';
      for (const item of toRoute) {
        const isWithdrawal = item.event.type === DetentionEventType.NOTIFICATION_WITHDRAWN;
        // Stored after the withdrawal (a RabbitMQ retry, a slow sender): it reaches no one, as it
        // would once the detention is erased, so no one hears of the detention after its withdrawal
        // and no one new hears of it without the withdrawal following (issue 11, ADR 0022).
        const inert = withdrawn && !isWithdrawal;
        const count = inert ? 0 : await this.route(em, item, tenantId, router);
        const status: RoutingStatus = inert ? 'withdrawn' : tenantId ? 'routed' : 'unrouted';
        if (isWithdrawal) withdrawn = true;
        await em.query(`update inbound_event set routing_status = $2, tenant_id = $3 where id = $1`, [
          item.id,
          status,
          tenantId,
        ]);
        if (item.id === eventRef) ownStatus = status;
        deliveries += count;
      }
      if (deliveries > 0) await this.unitOfWork.notifyOnCommit(OUTBOX_CHANNEL);
      // The case follows in its own transaction (the worker), never in this hot path.
      await requestCaseRefresh(em, event.subject, false);
      await this.unitOfWork.notifyOnCommit(CASE_REFRESH_CHANNEL);
      return { outcome: 'stored', eventRef, routingStatus: ownStatus, deliveries, ...more };
    });
  }

  /**
   * Which notification of the detention an event belongs to. A detention row under its own id is
   * the live one (events the chain sent before the withdrawal it follows are inert). Without one,
   * an erased trace under the keyed hash makes the event inert, unless the trace is a withdrawn
   * notification that had its start and the event is a start sent after that withdrawal: then it
   * begins a new notification (ADR 0014). A withdrawal that came before any start keeps a later start
   * inert (ADR 0007): the hub cannot tell that start from the withdrawn one.
   */
  private async notificationOf(
    em: EntityManager,
    event: DetentionEvent,
    router: EventRouter,
  ): Promise<{
    inert: boolean;
    live: LiveDetention | null;
    renotifies?: { pseudonym: string; staleBefore: string };
  }> {
    const sent = Date.parse(event.time);
    const live: LiveDetention[] = await em.query(
      `select origin_known, tenant_id, stale_before, withdrawn_at, consent_withdrawn_from from detention
       where detention_id = $1`,
      [event.subject],
    );
    if (live.length > 0) {
      const staleBefore = live[0].stale_before;
      return { inert: staleBefore !== null && !(sent > staleBefore.getTime()), live: live[0] };
    }
    // Erased under the current key or a previous one (ADR 0023): a rotation keeps it erased.
    const candidates = router.pseudonymCandidates(event.subject);
    const erased: { detention_id: string; erasure_reason: string | null }[] = await em.query(
      `select detention_id, erasure_reason from detention
       where detention_id = any($1) and erased_at is not null and superseded_at is null
       order by erased_at desc`,
      [candidates],
    );
    if (erased.length === 0) return { inert: false, live: null };
    if (erased[0].erasure_reason !== 'withdrawn') return { inert: true, live: null };
    // The row as stored: a renotification supersedes that one, whichever key it was erased under.
    const pseudonym = erased[0].detention_id;
    // The envelopes stay in clear after erasure: which types came, and when the chain sent them
    // (under every key: events kept inert after a rotation are under the current one).
    const trace: { type: string; time: string | null; routing_status: string }[] = await em.query(
      `select type, event->>'time' as time, routing_status from inbound_event where detention_id = any($1)`,
      [candidates],
    );
    const hadStart = trace.some(
      (t) => t.type === DetentionEventType.DETENTION_STARTED && t.routing_status !== 'withdrawn',
    );
    const withdrawals = trace
      .filter((t) => t.type === DetentionEventType.NOTIFICATION_WITHDRAWN && t.time)
      .map((t) => t.time as string)
      .filter((t) => !Number.isNaN(Date.parse(t)));
    // Only a start begins a new notification: any other late event stays inert, as ADR 0007
    // promises, even one that would belong to a new notification and overtook its start.
    if (event.type !== DetentionEventType.DETENTION_STARTED || !hadStart || withdrawals.length === 0)
      return { inert: true, live: null };
    const lastWithdrawal = withdrawals.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
    if (!(sent > Date.parse(lastWithdrawal))) return { inert: true, live: null };
    return { inert: false, live: null, renotifies: { pseudonym, staleBefore: lastWithdrawal } };
  }

  /** What the facts check needs: the detention's origin and its stored (not inert) events, opened. */
  private async known(
    em: EntityManager,
    detentionId: string,
    live: LiveDetention | null,
  ): Promise<{ origin: KnownDetention['origin']; rows: StoredEvent[] }> {
    if (!live) return { origin: null, rows: [] };
    const rows: {
      id: string;
      channel: IngressChannel;
      routing_status: RoutingStatus;
      event: DetentionEvent;
      event_sealed: Buffer | null;
    }[] = await em.query(
      `select id, channel, routing_status, event, event_sealed from inbound_event
       where detention_id = $1 and routing_status <> 'withdrawn' order by received_at, id`,
      [detentionId],
    );
    const opened: StoredEvent[] = [];
    for (const r of rows)
      opened.push({
        id: r.id,
        channel: r.channel,
        routingStatus: r.routing_status,
        event: await this.opened(r.id, r.event_sealed, r.event),
      });
    return { origin: live.origin_known ? { tenantId: live.tenant_id } : null, rows: opened };
  }

  /** A stored event, opened; rows from before encryption at rest hold it in clear until re-sealed. */
  private opened(id: string, sealed: Buffer | null, clear: DetentionEvent): Promise<DetentionEvent> {
    return sealed
      ? this.cipher.openJson<DetentionEvent>(sealed, { context: 'inbound_event.event', row: id })
      : Promise.resolve(clear);
  }

  /** The waiting events (never routed) that contradict the arriving start, with their reasons. */
  private contradictedWaiters(
    check: KnownFactsCheck,
    start: DetentionEvent,
    rows: readonly StoredEvent[],
  ): { row: StoredEvent; violations: Violation[] }[] {
    const awaiting = rows.filter((r) => r.routingStatus === 'awaiting-origin');
    return check
      .contradictedByStart(
        start,
        awaiting.map((r) => r.event),
      )
      .map((c) => ({ row: awaiting[c.index], violations: c.violations }));
  }

  /**
   * Moves refused waiting events out of the stored events into the dead-letter store (replayable,
   * with their reasons), in the caller's transaction. They had no delivery, so nothing of them is
   * routable once the row is gone; the detention's release date is recounted from what stays.
   */
  private async displace(
    em: EntityManager,
    detentionId: string,
    displacing: readonly { row: StoredEvent; violations: Violation[] }[],
    rows: readonly StoredEvent[],
    router: EventRouter,
  ): Promise<DisplacedEvent[]> {
    if (displacing.length === 0) return [];
    const displaced: DisplacedEvent[] = [];
    for (const { row, violations } of displacing) {
      const deadLetterId = await insertDeadLetter(em, this.cipher, {
        channel: row.channel,
        payload: Buffer.from(JSON.stringify(row.event)),
        violations,
        hints: { id: row.event.id, source: row.event.source, type: row.event.type },
        subjectPseudonym: router.pseudonym(detentionId),
      });
      // Only an event no one received: a routed one is never taken back this way.
      await em.query(`delete from inbound_event where id = $1 and routing_status = 'awaiting-origin'`, [
        row.id,
      ]);
      displaced.push({ deadLetterId, channel: row.channel, violations });
    }
    const gone = new Set(displacing.map((d) => d.row.id));
    const releases = rows
      .filter((r) => !gone.has(r.id) && r.event.type === DetentionEventType.DETENTION_RELEASED)
      .map((r) => (r.event.data as DetentionReleasedData).releasedAt);
    // The aftercare clock starts at the last release that stays (none: no release yet).
    await em.query(
      `update detention set released_at = (select max(r::timestamptz) from unnest($2::text[]) r)
       where detention_id = $1`,
      [detentionId, releases],
    );
    // A refused screening no longer counts for the consent either.
    await this.recordConsent(
      em,
      detentionId,
      rows.filter((r) => !gone.has(r.id)).map((r) => r.event),
    );
    return displaced;
  }

  /**
   * Which partner kinds the detention's screenings withdrew consent from (ADR 0025). Routing reads
   * it, and what is still waiting in the outbox for them is withheld here, retries included; the
   * outbox relay checks it again at send time for rows written meanwhile.
   */
  private async recordConsent(
    em: EntityManager,
    detentionId: string,
    events: readonly DetentionEvent[],
  ): Promise<void> {
    const withdrawn = consentWithdrawnFrom(events);
    await em.query(`update detention set consent_withdrawn_from = $2 where detention_id = $1`, [
      detentionId,
      withdrawn,
    ]);
    if (withdrawn.length === 0) return;
    await em.query(
      `delete from delivery where detention_id = $1 and published_at is null and recipient_kind = any($2)
         and message->>'type' <> $3`,
      [detentionId, withdrawn, DetentionEventType.NOTIFICATION_WITHDRAWN],
    );
  }

  /** The dates on the detention row that erasure and retention select on. */
  private async recordLifecycleDates(em: EntityManager, event: DetentionEvent): Promise<void> {
    if (event.type === DetentionEventType.DETENTION_RELEASED) {
      // The aftercare (and so the retention) clock starts at the last release.
      await em.query(
        `update detention set released_at = greatest(released_at, $2::timestamptz) where detention_id = $1`,
        [event.subject, (event.data as DetentionReleasedData).releasedAt],
      );
    }
    if (event.type === DetentionEventType.NOTIFICATION_WITHDRAWN) {
      // The notification was wrong: once everything about it, the withdrawal last, has gone out,
      // the hub forgets it too (TypeormDetentionErasure, run by the outbox relay).
      await em.query(
        `update detention set withdrawn_at = coalesce(withdrawn_at, now()) where detention_id = $1`,
        [event.subject],
      );
    }
  }

  /** An event about an erased detention: kept (it arrived), but only its envelope and the pseudonym. */
  private async recordInert(
    em: EntityManager,
    event: DetentionEvent,
    channel: IngressChannel,
    router: EventRouter,
  ): Promise<RecordOutcome> {
    const pseudonym = router.pseudonym(event.subject);
    // Under the keyed event id its erased siblings have (ADR 0024): a re-sent one is a duplicate,
    // also one erased before a rotation (under a previous key, ADR 0023).
    const keyedIds = router.erasedEventIds(event.source, event.id);
    const seen: unknown[] = await em.query(
      `select 1 from inbound_event where source = $1 and event_id = any($2)`,
      [event.source, keyedIds],
    );
    if (seen.length > 0) return { outcome: 'duplicate' };
    const inserted: { id: string }[] = await em.query(
      `insert into inbound_event (source, event_id, type, detention_id, channel, event, routing_status)
       values ($1, $2, $3, $4, $5, $6, 'withdrawn')
       on conflict (source, event_id) do nothing returning id`,
      [event.source, keyedIds[0], event.type, pseudonym, channel, erasedStub(event)],
    );
    if (inserted.length === 0) return { outcome: 'duplicate' };
    return { outcome: 'stored', eventRef: inserted[0].id, routingStatus: 'withdrawn', deliveries: 0 };
  }

  private async route(
    em: EntityManager,
    item: { id: string; event: DetentionEvent },
    tenantId: string | null,
    router: EventRouter,
  ): Promise<number> {
    // Only a withdrawal needs to know who heard of the detention before.
    const previous: { recipient_id: string }[] =
      item.event.type === DetentionEventType.NOTIFICATION_WITHDRAWN
        ? await em.query(`select distinct recipient_id from delivery where detention_id = $1`, [
            item.event.subject,
          ])
        : [];
    const consent: { consent_withdrawn_from: string[] }[] = await em.query(
      `select consent_withdrawn_from from detention where detention_id = $1`,
      [item.event.subject],
    );
    const planned = router.plan(item.event, {
      tenantId,
      previousRecipientIds: previous.map((p) => p.recipient_id),
      consentWithdrawnFrom: consent[0]?.consent_withdrawn_from ?? [],
    });
    if (planned.length === 0) return 0;
    await insertDeliveries(em, this.cipher, item.id, item.event.subject, planned);
    return planned.length;
  }
}

/**
 * Writes outbox rows (one statement for all of them), sealing each message; an id already there is
 * left alone, so planning twice is harmless, also across a key rotation (an entry whose former id
 * is there is left out). `inboundEventId` null: a delivery the hub originates.
 */
export async function insertDeliveries(
  em: EntityManager,
  cipher: DataCipherPort,
  inboundEventId: string | null,
  detentionId: string,
  entries: readonly OutboxEntry[],
): Promise<void> {
  await insertDeliveryRows(em, await deliveryRowsOf(em, cipher, inboundEventId, detentionId, entries));
}

/** Outbox rows for planned deliveries, each message sealed and bound to its row (the delivery id). */
async function deliveryRowsOf(
  em: EntityManager,
  cipher: DataCipherPort,
  inboundEventId: string | null,
  detentionId: string,
  entries: readonly OutboxEntry[],
): Promise<PendingDelivery[]> {
  if (entries.length === 0) return [];
  // All under the detention's key (one look-up, none inside a batch that looked its keys up).
  const sealed = await cipher.sealAllFor(
    entries.map((d) => ({
      plain: Buffer.from(JSON.stringify(d.message), 'utf8'),
      at: { context: 'delivery.message' as const, row: d.id },
    })),
    { detentionId },
    em,
  );
  // The writer's trace context goes with the row: the relay's publish span continues it.
  const traceContext = currentTraceContext();
  return entries.map((d, i) => ({
    id: d.id,
    formerIds: d.formerIds ?? [],
    values: [
      d.id,
      inboundEventId,
      d.recipientId,
      d.recipientKind,
      d.tenantId,
      detentionId,
      d.channel,
      d.exchange,
      d.routingKey,
      envelopeOf(d.message as DeliveryEnvelope),
      sealed[i].sealed,
      sealed[i].keyId,
      d.disclosedPaths,
      d.privacyProfileVersion,
      traceContext,
    ],
  }));
}

interface DeliveryEnvelope {
  id: string;
  source: string;
  type: string;
  time: string;
}

/** What the jsonb column keeps in clear: enough to count and trace, nothing about the person. */
export function envelopeOf(event: DeliveryEnvelope): object {
  return { id: event.id, source: event.source, type: event.type, time: event.time };
}

/** What remains of an event after erasure: its envelope without subject or data. */
/** What an event about an erased detention keeps: no id (the feed's ids lead back, ADR 0024). */
export function erasedStub(event: { source: string; type: string; time: string }): object {
  return { source: event.source, type: event.type, time: event.time, erased: true };
}
