import {
  DetentionEvent,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  DetentionTransferredData,
  dutchCalendarDate,
  ReleaseScheduledData,
  ScreeningCompletedData,
  Violation,
} from '@nazorg/contracts';

/**
 * What the hub already knows of a detention when one more of its events arrives: the facts its
 * stored events established. Dates only, and the tenant: nothing that names the person.
 */
export interface DetentionFacts {
  /** Whether a start was stored, and the tenant it put the detention in (null: no tenant's). */
  origin: { tenantId: string | null } | null;
  /** The recorded start: of the stored starts, the one the case counts (see `countsBefore`). */
  start: StartFact | null;
  /** Every stored date that must not lie before the start, with the field it came from. */
  laterDates: DatedFact[];
  /** When the chain sent the detention's withdrawal, if one is stored (its erasure may be pending). */
  withdrawnAt: string | null;
}

export interface StartFact {
  startedAt: string;
  /** The envelope's `time` and `id`: which of two starts the case counts. */
  time: string;
  id: string;
}

export interface DatedFact {
  field: 'releasedAt' | 'screenedAt' | 'transferredAt' | 'expectedReleaseDate';
  /** An instant (RFC 3339) or, for `expectedReleaseDate`, a calendar date. */
  value: string;
}

/** The facts of a detention from its stored events and the tenant its stored start put it in. */
export function detentionFactsOf(
  events: readonly DetentionEvent[],
  origin: { tenantId: string | null } | null,
): DetentionFacts {
  const facts: DetentionFacts = { origin, start: null, laterDates: [], withdrawnAt: null };
  for (const event of events) {
    if (
      event.type === DetentionEventType.NOTIFICATION_WITHDRAWN &&
      (facts.withdrawnAt === null || Date.parse(event.time) > Date.parse(facts.withdrawnAt))
    ) {
      facts.withdrawnAt = event.time;
    }
    if (event.type === DetentionEventType.DETENTION_STARTED) {
      const start = startFactOf(event);
      if (!facts.start || countsBefore(facts.start, start)) facts.start = start;
    }
    const later = laterDateOf(event);
    if (later) facts.laterDates.push(later);
  }
  return facts;
}

/**
 * Whether the case counts start `b` over start `a`: a corrected start replaces the one before it.
 * The case fold takes the last sent (by `time`, then `id`, ADR 0009); this is the same order, so
 * the check and the case agree on which start is "the start".
 */
export function countsBefore(a: StartFact, b: StartFact): boolean {
  return (a.time.localeCompare(b.time) || a.id.localeCompare(b.id)) < 0;
}

/** The newcomer as the check needs it: the event and, for a start, the tenant it names. */
export interface Newcomer {
  event: DetentionEvent;
  /** For a start: the tenant of its municipality of origin (null: no tenant's). */
  tenantId?: string | null;
}

/** The rule texts. They name fields and rules, never a value (a date could still point at a person). */
export const ConsistencyMessages = {
  beforeStart: 'must not be before the start recorded for this detention',
  startAfter: (field: DatedFact['field']) =>
    `must not be after the ${FIELD_NAMES[field]} recorded for this detention`,
  otherTenant:
    'the detention belongs to another tenant; a correction must be a withdrawal followed by a new start',
  withdrawalPending:
    "sent after the detention's withdrawal, which is still being carried out; try again shortly",
} as const;

const FIELD_NAMES: Record<DatedFact['field'], string> = {
  releasedAt: 'release',
  screenedAt: 'screening',
  transferredAt: 'transfer',
  expectedReleaseDate: 'expected release date',
};

/**
 * Whether the only reason is a withdrawal still going out: a passing state, not a fault of the
 * event. The sender (or broker) tries again shortly; kept as a dead letter it would be purged by
 * that very erasure.
 */
export function onlyWithdrawalPending(violations: readonly Violation[]): boolean {
  return (
    violations.length > 0 && violations.every((v) => v.message === ConsistencyMessages.withdrawalPending)
  );
}

/**
 * Checks a newcomer against what is known of its detention, whatever came first (CONTRACT: events
 * arrive out of order): every release, screening, transfer and expected release date lies at or
 * after the recorded start, and a start does not move the detention to another tenant. The
 * newcomer is the one refused: what is stored was accepted on the facts known then. A start that
 * replaces the recorded one (sent later: a correction) is checked against every stored date, so a
 * corrected start lets a refused event through on replay. A withdrawal always passes, so a wrong
 * notification can always be taken back. Pure: no clock, no storage.
 */
export function checkAgainstKnownFacts(newcomer: Newcomer, facts: DetentionFacts): Violation[] {
  const { event } = newcomer;
  const violations: Violation[] = [];
  const own = laterDateOf(event);
  if (event.type !== DetentionEventType.DETENTION_STARTED) {
    if (own && facts.start && isBefore(own, facts.start.startedAt)) {
      violations.push({ path: `$.data.${own.field}`, message: ConsistencyMessages.beforeStart });
    }
    return violations;
  }
  if (facts.withdrawnAt !== null && Date.parse(event.time) > Date.parse(facts.withdrawnAt)) {
    // A new notification, but the withdrawn one is not erased yet (its withdrawal is still going
    // out): stored now, it would be erased with it. To be tried again shortly (ADR 0014).
    return [{ path: '$', message: ConsistencyMessages.withdrawalPending }];
  }
  const start = startFactOf(event);
  if (!facts.start || countsBefore(facts.start, start)) {
    // It becomes the recorded start: what is stored must agree with it.
    const seen = new Set<string>();
    for (const later of facts.laterDates) {
      if (!isBefore(later, start.startedAt) || seen.has(later.field)) continue;
      seen.add(later.field);
      violations.push({ path: '$.data.startedAt', message: ConsistencyMessages.startAfter(later.field) });
    }
  } else if (own && isBefore(own, facts.start.startedAt)) {
    // An older start changes no start date, but its expected release date may still count.
    violations.push({ path: `$.data.${own.field}`, message: ConsistencyMessages.beforeStart });
  }
  const tenantId = newcomer.tenantId ?? null;
  // A detention no tenant has seen (its municipality is no tenant's) may get its first tenant; one
  // that a tenant has must not move to another, nor to none, without that tenant hearing of it.
  if (facts.origin && facts.origin.tenantId !== null && facts.origin.tenantId !== tenantId) {
    violations.push({ path: '$.data.municipalityOfOrigin', message: ConsistencyMessages.otherTenant });
  }
  return violations;
}

function startFactOf(event: DetentionEvent): StartFact {
  return { startedAt: (event.data as DetentionStartedData).startedAt, time: event.time, id: event.id };
}

function laterDateOf(event: DetentionEvent): DatedFact | undefined {
  switch (event.type) {
    case DetentionEventType.DETENTION_RELEASED:
      return { field: 'releasedAt', value: (event.data as DetentionReleasedData).releasedAt };
    case DetentionEventType.SCREENING_COMPLETED:
      return { field: 'screenedAt', value: (event.data as ScreeningCompletedData).screenedAt };
    case DetentionEventType.DETENTION_TRANSFERRED:
      return { field: 'transferredAt', value: (event.data as DetentionTransferredData).transferredAt };
    case DetentionEventType.RELEASE_SCHEDULED:
      return {
        field: 'expectedReleaseDate',
        value: (event.data as ReleaseScheduledData).expectedReleaseDate,
      };
    case DetentionEventType.DETENTION_STARTED: {
      const date = (event.data as DetentionStartedData).expectedReleaseDate;
      return date ? { field: 'expectedReleaseDate', value: date } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Instants compare as instants (the same moment is not before); a date compares with the start's
 * calendar day in the Netherlands, as every other date rule of the hub counts (detention-dates.ts).
 */
function isBefore(fact: DatedFact, startedAt: string): boolean {
  if (fact.field === 'expectedReleaseDate') {
    const startDay = dutchCalendarDate(startedAt);
    return startDay !== undefined && fact.value < startDay;
  }
  const at = Date.parse(fact.value);
  const start = Date.parse(startedAt);
  return !Number.isNaN(at) && !Number.isNaN(start) && at < start;
}
