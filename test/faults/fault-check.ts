import { isDetentionEventType } from '@nazorg/contracts';
import { PseudonymizerPort } from '@nazorg/privacy';
import { TappedDelivery } from './delivery-tap';
import { Segment } from './feed-plan';
import { sql } from './fault-stack';

/** What the recipients got about one segment's detentions (ops sees them under their pseudonyms). */
export function aboutSegment(
  deliveries: TappedDelivery[],
  segment: Segment,
  pseudonymizer: PseudonymizerPort,
): TappedDelivery[] {
  const subjects = new Set(segment.detentionIds);
  for (const id of segment.detentionIds) subjects.add(pseudonymizer.pseudonym(id));
  return deliveries.filter((d) => subjects.has(d.subject));
}

export interface DeliveryComparison {
  /** Deliveries of the segment's feed events in the fault-free run, and how many of them arrived. */
  expected: number;
  delivered: number;
  /** `<delivery id> (<recipient>, <type>)` */
  lost: string[];
  /** Deliveries of feed events the fault-free run did not have, as `lost`. */
  unexpected: string[];
  /** Keys (recipient, cause, type) that reached a recipient under more than one delivery id. */
  doubled: { key: string; ids: string[] }[];
  /** Delivery ids handed over more than once (a redelivery, the same id). */
  redelivered: number;
  /**
   * What the hub decides by the clock (warm handover due, deadline alerts): the two runs happen
   * minutes apart, so these may differ without a fault; reported, not judged.
   */
  decided: { reference: number; faulted: number; onlyInReference: string[]; onlyInFaulted: string[] };
}

const keyOf = (d: TappedDelivery) => `${d.recipientId}|${d.causationid}|${d.type}`;
/** A delivery named without anything about the person: its id, recipient and event type. */
const named = (d: TappedDelivery) =>
  `${d.messageId} (${d.recipientId}, ${d.type.replace(/^nl\.[a-z]+\./, '')})`;

function doubledKeys(deliveries: TappedDelivery[]): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  for (const d of deliveries) {
    const key = keyOf(d);
    ids.set(key, (ids.get(key) ?? new Set()).add(d.messageId));
  }
  return new Map([...ids].filter(([, set]) => set.size > 1));
}

/** The causes of a segment's feed-event deliveries: its event ids, and the keyed refs ops sees. */
export function feedCauses(segment: Segment, pseudonymizer: PseudonymizerPort): Set<string> {
  const causes = new Set(segment.eventIds);
  for (const id of segment.eventIds) causes.add(pseudonymizer.pseudonym(`event\u0000${id}`));
  return causes;
}

function byId(deliveries: TappedDelivery[]): Map<string, TappedDelivery> {
  return new Map(deliveries.map((d) => [d.messageId, d]));
}

function onlyIn(a: Map<string, TappedDelivery>, b: Map<string, TappedDelivery>): string[] {
  return [...a].filter(([id]) => !b.has(id)).map(([, d]) => named(d));
}

/** The faulted run's deliveries against the fault-free run's, by delivery id. */
export function compareDeliveries(
  baseline: TappedDelivery[],
  faulted: TappedDelivery[],
  causes: Set<string>,
): DeliveryComparison {
  // The hub's own messages (aftercare.*) name the feed event that led to them as their cause too.
  const fed = (d: TappedDelivery) => causes.has(d.causationid) && isDetentionEventType(d.type);
  const expected = byId(baseline.filter(fed));
  const received = byId(faulted.filter(fed));
  const counts = new Map<string, number>();
  for (const d of faulted) counts.set(d.messageId, (counts.get(d.messageId) ?? 0) + 1);
  const inBaseline = doubledKeys(baseline);
  const decidedBefore = byId(baseline.filter((d) => !fed(d)));
  const decidedAfter = byId(faulted.filter((d) => !fed(d)));
  return {
    expected: expected.size,
    delivered: [...expected.keys()].filter((id) => received.has(id)).length,
    lost: onlyIn(expected, received),
    unexpected: onlyIn(received, expected),
    doubled: [...doubledKeys(faulted)]
      .filter(([key]) => !inBaseline.has(key))
      .map(([key, ids]) => ({ key, ids: [...ids] })),
    redelivered: [...counts.values()].filter((n) => n > 1).length,
    decided: {
      reference: decidedBefore.size,
      faulted: decidedAfter.size,
      onlyInReference: onlyIn(decidedBefore, decidedAfter),
      onlyInFaulted: onlyIn(decidedAfter, decidedBefore),
    },
  };
}

/** The case columns that follow from the events and results alone (not from when they arrived). */
const CASE_COLUMNS = [
  'tenant_id',
  'status',
  'person_key',
  'started_at',
  'expected_release_date',
  'released_at',
  'screened_at',
  'aftercare_required',
  'problems',
  'referrals',
  // Decided by the clock (like the warm-handover-due delivery): reported apart, see compareCases.
  'warm_handover_sent_for',
  // When the first care contact was recorded is the result's arrival time; that there was one is not.
  '(first_care_contact_at is not null) as care_contact',
  '(dpan_answered_at is not null) as dpan_answered',
];

export async function caseStates(detentionIds: Iterable<string>): Promise<Map<string, string>> {
  const rows = await sql<Record<string, unknown> & { detention_id: string }>(
    `select detention_id, ${CASE_COLUMNS.join(', ')} from aftercare_case where detention_id = any($1)`,
    [[...detentionIds]],
  );
  return new Map(
    rows.map(({ detention_id, ...rest }) => [detention_id, JSON.stringify(rest, (_, v) => v ?? null)]),
  );
}

/** Case columns the hub sets by the clock: the two runs are minutes apart, so reported, not judged. */
const CLOCK_DECIDED = new Set(['warm_handover_sent_for']);

/**
 * Detentions whose case differs from the fault-free run's, as pseudonyms with what differs:
 * `differing` in what follows from events and results, `clockDecided` only in CLOCK_DECIDED columns.
 */
export function compareCases(
  baseline: Map<string, string>,
  faulted: Map<string, string>,
  pseudonymizer: PseudonymizerPort,
): { differing: string[]; clockDecided: string[] } {
  const differing: string[] = [];
  const clockDecided: string[] = [];
  for (const id of new Set([...baseline.keys(), ...faulted.keys()])) {
    const a = baseline.get(id);
    const b = faulted.get(id);
    if (a === b) continue;
    const before = a ? (JSON.parse(a) as Record<string, unknown>) : {};
    const after = b ? (JSON.parse(b) as Record<string, unknown>) : {};
    const fields = Object.keys({ ...before, ...after }).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    // With the case's status: a withdrawn one the reference had erased points at the erasure.
    const what = !a
      ? `only in the faulted run, ${String(after.status)}`
      : !b
        ? `missing, ${String(before.status)} in the reference`
        : fields.join(', ');
    const clockOnly = a && b && fields.every((f) => CLOCK_DECIDED.has(f));
    (clockOnly ? clockDecided : differing).push(`${pseudonymizer.pseudonym(id)} (${what})`);
  }
  return { differing, clockDecided };
}

export interface Pending {
  outbox: number;
  caseRefresh: number;
  /** Withdrawn detentions not erased yet: the relay erases each once its withdrawal went out. */
  erasureDue: number;
  /** Non-empty queues (retry and work queues), `dead.*` ones separately. */
  queues: Record<string, number>;
  deadLettered: Record<string, number>;
  kafkaLag: number;
  deadLetterRows: number;
}

export function nothingPending(p: Pending): boolean {
  return (
    p.outbox === 0 &&
    p.caseRefresh === 0 &&
    p.erasureDue === 0 &&
    Object.keys(p.queues).length === 0 &&
    Object.keys(p.deadLettered).length === 0 &&
    p.kafkaLag === 0
  );
}

export function describePending(p: Pending): string {
  const parts: string[] = [];
  if (p.outbox) parts.push(`outbox ${p.outbox}`);
  if (p.caseRefresh) parts.push(`case refresh ${p.caseRefresh}`);
  if (p.erasureDue) parts.push(`withdrawn, not erased ${p.erasureDue}`);
  for (const [q, n] of Object.entries(p.queues)) parts.push(`${q} ${n}`);
  for (const [q, n] of Object.entries(p.deadLettered)) parts.push(`${q} ${n}`);
  if (p.kafkaLag) parts.push(`kafka lag ${p.kafkaLag}`);
  return parts.join(', ') || 'none';
}
