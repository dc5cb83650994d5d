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
import { currentTraceContext } from '@nazorg/observability';
import {
  CASE_REFRESH_REQUESTS,
  CaseRefreshRequestsPort,
  DATA_KEY_PRELOAD,
  DataKeyPreloadPort,
  DEAD_LETTER_STORE,
  DeadLetterStorePort,
  DETENTION_RECORDS,
  DetentionRecordsPort,
  INBOUND_EVENT_RECORDS,
  InboundEventRecordsPort,
  IngressChannel,
  LiveDetention,
  OUTBOX_WRITER,
  OutboxEntry,
  OutboxWriterPort,
  RoutingStatus,
  StoredEvent,
  UNIT_OF_WORK,
  UnitOfWorkPort,
} from '@nazorg/persistence';
import { consentWithdrawnFrom } from '@nazorg/privacy';
import { DeliveryPlanner, TenantDirectory } from '@nazorg/routing';
import {
  checkAgainstKnownFacts,
  contradictedByStart,
  detentionFactsOf,
} from '../consistency/detention-facts';
import { DisplacedEvent, RecordOutcome } from './record-outcome';
import { BatchDetention, PendingRecords, RecordingBatch } from './recording-batch';

/** Which notification of its detention an event belongs to (see `notificationOf`). */
interface Notification {
  inert: boolean;
  live: LiveDetention | null;
  renotifies?: { pseudonym: string; staleBefore: string };
}

/**
 * Records a valid event: once per (source, id), checked against what is known of its detention,
 * routed, with its outbox rows and its case's refresh request, in one unit of work. Events of one
 * detention are serialised by its lock, so out-of-order arrivals (a screening before its start)
 * converge: an event whose detention has no known origin yet waits as `awaiting-origin` and is
 * routed when the start arrives. The repositories only read and write rows; the decisions are here.
 */
@Injectable()
export class RecordEventsUseCase {
  /** The batch `inBatch` runs, for the `record` calls inside it. */
  private readonly batches = new AsyncLocalStorage<RecordingBatch>();

  constructor(
    @Inject(UNIT_OF_WORK) private readonly unitOfWork: UnitOfWorkPort,
    @Inject(DATA_KEY_PRELOAD) private readonly dataKeys: DataKeyPreloadPort,
    @Inject(DETENTION_RECORDS) private readonly detentions: DetentionRecordsPort,
    @Inject(INBOUND_EVENT_RECORDS) private readonly events: InboundEventRecordsPort,
    @Inject(OUTBOX_WRITER) private readonly outbox: OutboxWriterPort,
    @Inject(CASE_REFRESH_REQUESTS) private readonly caseRefresh: CaseRefreshRequestsPort,
    @Inject(DEAD_LETTER_STORE) private readonly deadLetters: DeadLetterStorePort,
    private readonly planner: DeliveryPlanner,
    private readonly directory: TenantDirectory,
  ) {}

  /**
   * Runs `work`, whose `record` calls are these events' (a Kafka batch, in its order), in one unit
   * of work: their detentions are locked and read at once, and what they write is written at the
   * end, in a few statements (ADR 0028). Each `record` answers as it would on its own; an event the
   * batch cannot decide in memory is recorded on its own inside the unit. If `work` rejects,
   * nothing of it is kept.
   */
  inBatch<T>(events: readonly DetentionEvent[], work: () => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async () => {
      const batch = await this.readBatch(events);
      return this.dataKeys.withKeysOf([...batch.detentions.keys()], async () => {
        const result = await this.batches.run(batch, work);
        await this.write(batch.takePending());
        return result;
      });
    });
  }

  /**
   * Under its detention's lock: a duplicate is a duplicate before anything else; an event that
   * contradicts what is known is not stored (`inconsistent`). A start is the anchor for events
   * still awaiting their origin: those contradicting it move to the dead-letter store instead.
   */
  async record(event: DetentionEvent, channel: IngressChannel): Promise<RecordOutcome> {
    const batch = this.batches.getStore();
    if (batch) {
      const detention = batch.detentions.get(event.subject);
      const recorded = detention && this.recordInBatch(batch, detention, event, channel);
      if (recorded) return recorded;
      // The one-by-one way reads the database: what the batch holds goes there first, and the
      // detention's later events in the batch take this way too (the batch no longer knows it).
      if (detention) {
        await this.write(batch.takePending());
        batch.detentions.delete(event.subject);
      }
    }
    return this.recordOne(event, channel);
  }

  /**
   * What the batch's events need of their detentions, under all their locks, in a few statements.
   * A detention with an erased trace is left out (its events take the one-by-one way).
   */
  private async readBatch(events: readonly DetentionEvent[]): Promise<RecordingBatch> {
    const batch = new RecordingBatch();
    const subjects = [...new Set(events.map((e) => e.subject))];
    if (subjects.length === 0) return batch;
    await this.detentions.lock(subjects);
    const live = await this.detentions.live(subjects);
    const candidates = new Map<string, string>();
    for (const subject of subjects)
      if (!live.has(subject))
        for (const c of this.planner.pseudonymCandidates(subject)) candidates.set(c, subject);
    const erased = await this.detentions.erased([...candidates.keys()]);
    const withTrace = new Set(erased.map((e) => candidates.get(e.detentionId)));
    const ids = events.flatMap((e) =>
      [e.id, ...this.planner.erasedEventIds(e.source, e.id)].map((id) => ({ source: e.source, id })),
    );
    for (const i of ids) batch.checked.add(RecordingBatch.key(i.source, i.id));
    for (const s of await this.events.stored(ids)) batch.stored.add(RecordingBatch.key(s.source, s.id));
    const rows = await this.events.ofDetentions([...live.keys()]);
    for (const subject of subjects) {
      if (withTrace.has(subject)) continue;
      batch.detentions.set(subject, { live: live.get(subject) ?? null, rows: rows.get(subject) ?? [] });
    }
    return batch;
  }

  /**
   * Writes what a batch's recording produced, in the order the one-by-one way writes it
   * (detentions before their events, events before their deliveries). Throws when an event was
   * already there: the batch's reads were wrong, so it must fail and go again one by one.
   */
  private async write(pending: PendingRecords): Promise<void> {
    await this.detentions.touch(pending.touched);
    await this.detentions.start(pending.starts);
    await this.detentions.release(pending.releases);
    const stored = await this.events.insert(pending.events);
    if (stored.length !== pending.events.length)
      throw new Error(
        `a batch's event was stored meanwhile (${pending.events.length - stored.length} of ${pending.events.length})`,
      );
    await this.outbox.add(pending.deliveries);
    await this.events.setRouting(pending.routing);
    // The case follows in its own unit of work (the worker), never in this hot path.
    await this.caseRefresh.request(pending.caseRefresh);
  }

  /**
   * `recordOne` in memory, for the common events of a batch (ADR 0028): the same decisions on what
   * the batch read, its rows written at the batch's end. Undefined for any other event (a
   * withdrawal, a consent that changes, an erased or withdrawn detention, a start refusing waiters,
   * an event the batch did not look up): that one takes the one-by-one way.
   */
  private recordInBatch(
    batch: RecordingBatch,
    detention: BatchDetention,
    event: DetentionEvent,
    channel: IngressChannel,
  ): RecordOutcome | undefined {
    const keys = [event.id, ...this.planner.erasedEventIds(event.source, event.id)].map((id) =>
      RecordingBatch.key(event.source, id),
    );
    if (!keys.every((k) => batch.checked.has(k))) return undefined;
    const { live } = detention;
    if (live?.withdrawn_at || live?.stale_before) return undefined;
    if (event.type === DetentionEventType.NOTIFICATION_WITHDRAWN) return undefined;
    if (keys.some((k) => batch.stored.has(k))) return { outcome: 'duplicate' };
    const origin = live?.origin_known ? { tenantId: live.tenant_id } : null;
    const isStart = event.type === DetentionEventType.DETENTION_STARTED;
    if (isStart && origin === null && this.contradictedWaiters(event, detention.rows).length > 0)
      return undefined;
    const violations = this.violations(
      event,
      origin,
      detention.rows.map((r) => r.event),
    );
    if (violations.length > 0) return { outcome: 'inconsistent', violations };
    const consent = live?.consent_withdrawn_from ?? [];
    if (event.type === DetentionEventType.SCREENING_COMPLETED) {
      const withdrawn = consentWithdrawnFrom([...detention.rows.map((r) => r.event), event]);
      if (withdrawn.length !== consent.length || withdrawn.some((k) => !consent.includes(k)))
        return undefined;
    }
    return this.recordedInBatch(batch, detention, event, channel, { isStart, consent });
  }

  private recordedInBatch(
    batch: RecordingBatch,
    detention: BatchDetention,
    event: DetentionEvent,
    channel: IngressChannel,
    { isStart, consent }: { isStart: boolean; consent: readonly string[] },
  ): RecordOutcome {
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
      tenantId = this.tenantOf(event);
      batch.start(this.startOf(event, tenantId));
      toRoute = [own, ...this.waitersOf(detention.rows, { live, tenantId })];
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
    let deliveries = 0;
    const status: RoutingStatus = tenantId ? 'routed' : 'unrouted';
    for (const item of toRoute) {
      const planned = this.planner.plan(item.event, {
        tenantId,
        previousRecipientIds: [],
        consentWithdrawnFrom: consent,
      });
      batch.addDeliveries(this.deliveriesOf(item, planned));
      deliveries += planned.length;
      if (item !== own) batch.setRouting(item.id, status, tenantId);
      item.routingStatus = status;
    }
    batch.addEvent({
      id,
      event,
      channel,
      routingStatus: own.routingStatus,
      tenantId: toRoute.length ? tenantId : null,
    });
    detention.rows.push(own);
    if (toRoute.length === 0)
      return { outcome: 'stored', eventRef: id, routingStatus: 'awaiting-origin', deliveries: 0 };
    batch.requestCaseRefresh(event.subject);
    return { outcome: 'stored', eventRef: id, routingStatus: own.routingStatus, deliveries };
  }

  private recordOne(event: DetentionEvent, channel: IngressChannel): Promise<RecordOutcome> {
    // Its own unit of work, or a savepoint of the caller's (a Kafka batch's).
    return this.unitOfWork.run(async () => {
      await this.detentions.lock([event.subject]);
      const notification = await this.notificationOf(event);
      if (notification.inert) return this.recordInert(event, channel);
      // Also under its keyed id: the start of a withdrawn, erased notification sent again is that
      // start, not a new notification (ADR 0014, 0024).
      const ids = [event.id, ...this.planner.erasedEventIds(event.source, event.id)];
      if ((await this.events.stored(ids.map((id) => ({ source: event.source, id })))).length > 0)
        return { outcome: 'duplicate' };
      const { live } = notification;
      // Under the lock, so no other event of the detention changes what is known meanwhile.
      const rows = live ? ((await this.events.ofDetentions([event.subject])).get(event.subject) ?? []) : [];
      const origin = live?.origin_known ? { tenantId: live.tenant_id } : null;
      const isStart = event.type === DetentionEventType.DETENTION_STARTED;
      // The start is the anchor: events that waited for it were routed to no one, so those that
      // contradict it are refused, not the start (one wrong early event must not block the case).
      const displacing = isStart && origin === null ? this.contradictedWaiters(event, rows) : [];
      const gone = new Set(displacing.map((d) => d.row.id));
      const staying = rows.filter((r) => !gone.has(r.id));
      const violations = this.violations(
        event,
        origin,
        staying.map((r) => r.event),
      );
      if (violations.length > 0) return { outcome: 'inconsistent', violations };
      // What routing reads of the consent, kept as it is written below.
      let consent: readonly string[] = live?.consent_withdrawn_from ?? [];
      const displaced = await this.displace(event.subject, displacing, staying);
      if (displacing.length > 0) consent = consentWithdrawnFrom(staying.map((r) => r.event));
      // A new notification after a withdrawn one: the erased trace stays, as the old one's.
      if (notification.renotifies) await this.detentions.renotify(event.subject, notification.renotifies);
      // The id is the sealed value's row, bound into it: chosen here, not by the database.
      const eventRef = randomUUID();
      const inserted = await this.events.insert([
        { id: eventRef, event, channel, routingStatus: 'awaiting-origin', tenantId: null },
      ]);
      if (inserted.length === 0) return { outcome: 'duplicate' };

      const own: StoredEvent = { id: eventRef, channel, routingStatus: 'awaiting-origin', event };
      let toRoute: StoredEvent[];
      let tenantId: string | null;
      // Whether the detention's withdrawal was stored before this event (its erasure still pending).
      let withdrawn = live?.withdrawn_at != null;
      if (isStart) {
        tenantId = this.tenantOf(event);
        await this.detentions.start([this.startOf(event, tenantId)]);
        // This start first, then whatever arrived before it, in arrival order.
        toRoute = [own, ...this.waitersOf(staying, { live, tenantId })];
      } else {
        // Nothing else changes the row under the lock: what `live` said is what it holds.
        await this.detentions.touch([event.subject]);
        // Recorded at once, also while the start is missing: a withdrawal or release that never finds
        // its start must still lead to erasure (withdrawal) or count for retention (release).
        await this.recordLifecycleDates(event);
        if (event.type === DetentionEventType.SCREENING_COMPLETED) {
          consent = consentWithdrawnFrom([...rows.map((r) => r.event), event]);
          await this.recordConsent(event.subject, consent);
        }
        if (!live?.origin_known)
          return { outcome: 'stored', eventRef, routingStatus: 'awaiting-origin', deliveries: 0 };
        tenantId = live.tenant_id;
        toRoute = [own];
      }
      const more = displaced.length > 0 ? { displaced } : {};

      let deliveries = 0;
      const routing: { id: string; status: RoutingStatus; tenantId: string | null }[] = [];
      for (const item of toRoute) {
        const isWithdrawal = item.event.type === DetentionEventType.NOTIFICATION_WITHDRAWN;
        // Stored after the withdrawal (a RabbitMQ retry, a slow sender): it reaches no one, as it
        // would once the detention is erased, so no one hears of the detention after its withdrawal
        // and no one new hears of it without the withdrawal following (issue 11, ADR 0022).
        const inert = withdrawn && !isWithdrawal;
        if (!inert) deliveries += await this.route(item, tenantId, consent);
        if (isWithdrawal) withdrawn = true;
        routing.push({
          id: item.id,
          status: inert ? 'withdrawn' : tenantId ? 'routed' : 'unrouted',
          tenantId,
        });
      }
      await this.events.setRouting(routing);
      // The case follows in its own unit of work (the worker), never in this hot path.
      await this.caseRefresh.request([event.subject]);
      const ownStatus = routing.find((r) => r.id === eventRef)?.status ?? 'unrouted';
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
  private async notificationOf(event: DetentionEvent): Promise<Notification> {
    const sent = Date.parse(event.time);
    const live = (await this.detentions.live([event.subject])).get(event.subject);
    if (live) {
      const staleBefore = live.stale_before;
      return { inert: staleBefore !== null && !(sent > staleBefore.getTime()), live };
    }
    // Erased under the current key or a previous one (ADR 0023): a rotation keeps it erased.
    const candidates = this.planner.pseudonymCandidates(event.subject);
    const erased = await this.detentions.erased(candidates);
    if (erased.length === 0) return { inert: false, live: null };
    if (erased[0].erasureReason !== 'withdrawn') return { inert: true, live: null };
    // The row as stored: a renotification supersedes that one, whichever key it was erased under.
    const pseudonym = erased[0].detentionId;
    // Under every key: events kept inert after a rotation are under the current one.
    const trace = await this.events.traces(candidates);
    const hadStart = trace.some(
      (t) => t.type === DetentionEventType.DETENTION_STARTED && t.routingStatus !== 'withdrawn',
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

  /** The rules an event must keep with what is known of its detention. */
  private violations(
    event: DetentionEvent,
    origin: { tenantId: string | null } | null,
    stored: readonly DetentionEvent[],
  ): Violation[] {
    const tenantId = event.type === DetentionEventType.DETENTION_STARTED ? this.tenantOf(event) : undefined;
    return checkAgainstKnownFacts({ event, tenantId }, detentionFactsOf(stored, origin));
  }

  /** The waiting events (never routed) that contradict the arriving start, with their reasons. */
  private contradictedWaiters(
    start: DetentionEvent,
    rows: readonly StoredEvent[],
  ): { row: StoredEvent; violations: Violation[] }[] {
    const awaiting = rows.filter((r) => r.routingStatus === 'awaiting-origin');
    return contradictedByStart(
      { event: start, tenantId: this.tenantOf(start) },
      awaiting.map((r) => r.event),
    ).map((c) => ({ row: awaiting[c.index], violations: c.violations }));
  }

  /** Tenant of a start's municipality of origin (null: no tenant's). */
  private tenantOf(started: DetentionEvent): string | null {
    return this.directory.tenantFor((started.data as DetentionStartedData).municipalityOfOrigin)?.id ?? null;
  }

  private startOf(event: DetentionEvent, tenantId: string | null) {
    const started = event.data as DetentionStartedData;
    return {
      detentionId: event.subject,
      municipalityOfOrigin: started.municipalityOfOrigin,
      tenantId,
      personIndex: this.planner.personIndex(started.person.bsn),
    };
  }

  /**
   * What a start routes besides itself: the events that waited for it, and when it gives the
   * detention its first tenant (the facts check let nothing else through), what was stored
   * unrouted, as if it had waited, except the start this one corrects (the case folds both;
   * recipients need one). In arrival order.
   */
  private waitersOf(
    stored: readonly StoredEvent[],
    { live, tenantId }: { live: LiveDetention | null; tenantId: string | null },
  ): StoredEvent[] {
    const firstTenant = tenantId !== null && live?.origin_known === true && live.tenant_id === null;
    return stored.filter(
      (r) =>
        r.routingStatus === 'awaiting-origin' ||
        (firstTenant &&
          r.routingStatus === 'unrouted' &&
          r.event.type !== DetentionEventType.DETENTION_STARTED),
    );
  }

  /** Outbox rows for what the routing planned for a stored event, in the current trace. */
  private deliveriesOf(item: StoredEvent, planned: readonly OutboxEntry[]) {
    // The writer's trace context goes with the row: the relay's publish span continues it.
    const traceContext = currentTraceContext();
    return planned.map((entry) => ({
      entry,
      detentionId: item.event.subject,
      inboundEventId: item.id,
      traceContext,
    }));
  }

  private async route(
    item: StoredEvent,
    tenantId: string | null,
    consent: readonly string[],
  ): Promise<number> {
    // Only a withdrawal needs to know who heard of the detention before.
    const previous =
      item.event.type === DetentionEventType.NOTIFICATION_WITHDRAWN
        ? await this.outbox.recipientsOf(item.event.subject)
        : [];
    const planned = this.planner.plan(item.event, {
      tenantId,
      previousRecipientIds: previous,
      consentWithdrawnFrom: consent,
    });
    await this.outbox.add(this.deliveriesOf(item, planned));
    return planned.length;
  }

  /**
   * Moves refused waiting events out of the stored events into the dead-letter store (replayable,
   * with their reasons). They had no delivery, so nothing of them is routable once the row is
   * gone; the detention's release date and consent are counted again from what stays.
   */
  private async displace(
    detentionId: string,
    displacing: readonly { row: StoredEvent; violations: Violation[] }[],
    staying: readonly StoredEvent[],
  ): Promise<DisplacedEvent[]> {
    if (displacing.length === 0) return [];
    const displaced: DisplacedEvent[] = [];
    for (const { row, violations } of displacing) {
      const deadLetterId = await this.deadLetters.record({
        channel: row.channel,
        payload: Buffer.from(JSON.stringify(row.event)),
        violations,
        hints: { id: row.event.id, source: row.event.source, type: row.event.type },
        subjectPseudonym: this.planner.pseudonym(detentionId),
      });
      // Only an event no one received: a routed one is never taken back this way.
      await this.events.removeAwaiting(row.id);
      displaced.push({ deadLetterId, channel: row.channel, violations });
    }
    // The aftercare clock starts at the last release that stays (none: no release yet).
    await this.detentions.recountRelease(
      detentionId,
      staying
        .filter((r) => r.event.type === DetentionEventType.DETENTION_RELEASED)
        .map((r) => (r.event.data as DetentionReleasedData).releasedAt),
    );
    // A refused screening no longer counts for the consent either.
    await this.recordConsent(detentionId, consentWithdrawnFrom(staying.map((r) => r.event)));
    return displaced;
  }

  /**
   * Which partner kinds the detention's screenings withdrew consent from (ADR 0025). Routing reads
   * it, and what is still waiting in the outbox for them is withheld here, retries included; the
   * outbox relay checks it again at send time for rows written meanwhile.
   */
  private async recordConsent(detentionId: string, withdrawn: readonly string[]): Promise<void> {
    await this.detentions.setConsent(detentionId, withdrawn);
    await this.outbox.withholdFrom(detentionId, withdrawn);
  }

  /** The dates on the detention row that erasure and retention select on. */
  private async recordLifecycleDates(event: DetentionEvent): Promise<void> {
    if (event.type === DetentionEventType.DETENTION_RELEASED)
      // The aftercare (and so the retention) clock starts at the last release.
      await this.detentions.release([
        { detentionId: event.subject, releasedAt: (event.data as DetentionReleasedData).releasedAt },
      ]);
    if (event.type === DetentionEventType.NOTIFICATION_WITHDRAWN)
      // The notification was wrong: once everything about it, the withdrawal last, has gone out,
      // the hub forgets it too (TypeormDetentionErasure, run by the outbox relay).
      await this.detentions.withdraw(event.subject);
  }

  /** An event about an erased detention: kept (it arrived), but only its envelope and the pseudonym. */
  private async recordInert(event: DetentionEvent, channel: IngressChannel): Promise<RecordOutcome> {
    // Under the keyed event id its erased siblings have (ADR 0024): a re-sent one is a duplicate,
    // also one erased before a rotation (under a previous key, ADR 0023).
    const keyedIds = this.planner.erasedEventIds(event.source, event.id);
    if ((await this.events.stored(keyedIds.map((id) => ({ source: event.source, id })))).length > 0)
      return { outcome: 'duplicate' };
    const id = await this.events.insertInert(event, {
      keyedEventId: keyedIds[0],
      pseudonym: this.planner.pseudonym(event.subject),
      channel,
    });
    if (id === null) return { outcome: 'duplicate' };
    return { outcome: 'stored', eventRef: id, routingStatus: 'withdrawn', deliveries: 0 };
  }
}
