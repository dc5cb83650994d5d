import {
  CloudEvent,
  ConnectorResultData,
  ConnectorResultType,
  DetentionEvent,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  DetentionTransferredData,
  ReleaseScheduledData,
  ScreeningCompletedData,
} from '@nazorg/contracts';
import { consentWithdrawnFrom } from '@nazorg/privacy';

/** The five basic conditions (DOMAIN.md: ID, housing, income/work, debts, care) plus social network. */
export const BASIC_CONDITIONS = [
  'identity',
  'housing',
  'incomeWork',
  'debts',
  'care',
  'socialNetwork',
] as const;
export type BasicCondition = (typeof BASIC_CONDITIONS)[number];

export interface ConditionState {
  /** What is known, as the source said it. */
  value: Record<string, unknown>;
  /** `problem`: needs work; `ok`: nothing to do; `in-hand`: a connector has acted on it. */
  assessment: 'problem' | 'ok' | 'in-hand';
  /** The event or result type it came from, and its time. */
  source: string;
  at: string;
}

export type CaseStatus = 'detained' | 'released' | 'withdrawn';

export interface CaseResult {
  /** The result's own id and the id of the feed event its chain started with (CONTRACT section 1). */
  id: string;
  correlationid: string;
  type: string;
  outcome: string;
  details: Record<string, unknown>;
  at: string;
}

/**
 * An event a fact of the case came from: what the hub decides on that fact names it as its cause
 * (`causationid`) and carries its chain on (`correlationid`, CONTRACT section 1).
 */
export interface EventRef {
  id: string;
  correlationid: string;
}

/** Everything the hub knows about one detention, the same whatever order its events came in. */
export interface CaseState {
  detentionId: string;
  status: CaseStatus;
  bsn: string | null;
  startedAt: string | null;
  expectedReleaseDate: string | null;
  releasedAt: string | null;
  screenedAt: string | null;
  /** Where the person was held, from the start and every transfer, in time order. */
  institutions: { code: string; name: string; since: string; source: string }[];
  flags: { topX: boolean; pga: boolean; bij: boolean } | null;
  supervision: boolean;
  consent: { schuldhulp: boolean; zorg: boolean } | null;
  /** Partner kinds whose consent a later screening withdrew: nothing more goes to them (ADR 0025). */
  consentWithdrawnFrom: string[];
  conditions: Partial<Record<BasicCondition, ConditionState>>;
  results: CaseResult[];
  /** Partners the person was referred to (schuldhulp, care partners, probation). */
  referrals: string[];
  /** The feed events behind the start, the expected release date, the last screening and the release. */
  causes: { started?: EventRef; expectedRelease?: EventRef; screening?: EventRef; released?: EventRef };
}

/** Same-time events sort in lifecycle order, so ties cannot depend on arrival. */
const TYPE_RANK: Record<string, number> = {
  [DetentionEventType.DETENTION_STARTED]: 0,
  [DetentionEventType.DETENTION_TRANSFERRED]: 1,
  [DetentionEventType.SCREENING_COMPLETED]: 2,
  [DetentionEventType.RELEASE_SCHEDULED]: 3,
  [DetentionEventType.DETENTION_RELEASED]: 4,
  [DetentionEventType.NOTIFICATION_WITHDRAWN]: 5,
};

function byTime<T extends { time: string; id: string; type: string }>(a: T, b: T): number {
  return (
    a.time.localeCompare(b.time) ||
    (TYPE_RANK[a.type] ?? 9) - (TYPE_RANK[b.type] ?? 9) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * Folds a detention's events and connector results into its case. A pure function of the *set* of
 * inputs: they are sorted by their own time (then lifecycle order, then id) before folding, so a
 * screening before its start, a release twice or a withdrawal in the middle all converge.
 */
export function foldCase(
  detentionId: string,
  events: readonly DetentionEvent[],
  results: readonly CloudEvent<ConnectorResultData>[],
  /** Told (with a reason that holds no data) about each input the fold leaves out as malformed. */
  onSkipped: (reason: string) => void = () => undefined,
): CaseState {
  const state: CaseState = {
    detentionId,
    status: 'detained',
    bsn: null,
    startedAt: null,
    expectedReleaseDate: null,
    releasedAt: null,
    screenedAt: null,
    institutions: [],
    flags: null,
    supervision: false,
    consent: null,
    consentWithdrawnFrom: [],
    conditions: {},
    results: [],
    referrals: [],
    causes: {},
  };
  const unique = [
    ...new Map(
      events.filter((e) => foldable(e, 'event', onSkipped)).map((e) => [`${e.source}|${e.id}`, e]),
    ).values(),
  ].sort(byTime);
  let withdrawn = false;
  for (const event of unique) {
    const ref: EventRef = { id: event.id, correlationid: event.correlationid ?? event.id };
    switch (event.type) {
      case DetentionEventType.DETENTION_STARTED: {
        const d = event.data as DetentionStartedData;
        state.bsn = d.person.bsn;
        state.startedAt = d.startedAt;
        state.causes.started = ref;
        if (d.expectedReleaseDate && state.expectedReleaseDate === null) {
          state.expectedReleaseDate = d.expectedReleaseDate;
          state.causes.expectedRelease = ref;
        }
        state.flags = d.flags;
        state.supervision = state.supervision || !!d.supervision;
        state.institutions.push({ ...d.institution, since: d.startedAt, source: event.type });
        break;
      }
      case DetentionEventType.DETENTION_TRANSFERRED: {
        const d = event.data as DetentionTransferredData;
        state.institutions.push({ ...d.to, since: d.transferredAt, source: event.type });
        break;
      }
      case DetentionEventType.RELEASE_SCHEDULED:
        // The latest announcement wins (events are in time order here).
        state.expectedReleaseDate = (event.data as ReleaseScheduledData).expectedReleaseDate;
        state.causes.expectedRelease = ref;
        break;
      case DetentionEventType.SCREENING_COMPLETED: {
        const d = event.data as ScreeningCompletedData;
        state.screenedAt = d.screenedAt;
        state.consent = d.consent;
        state.causes.screening = ref;
        const set = (condition: BasicCondition, value: object | null | undefined, problem: boolean) => {
          if (!value) return;
          state.conditions[condition] = {
            value: { ...value },
            assessment: problem ? 'problem' : 'ok',
            source: event.type,
            at: d.screenedAt,
          };
        };
        set('identity', d.identity, !d.identity.hasValidId);
        set(
          'housing',
          d.housing,
          d.housing.atRiskOfLoss || ['homeless', 'unknown'].includes(d.housing.situation),
        );
        set('incomeWork', d.incomeWork, ['none', 'unknown'].includes(d.incomeWork.situation));
        set('debts', d.debts, d.debts.hasDebts);
        set('care', d.care, d.care.needsCare);
        set('socialNetwork', d.socialNetwork, d.socialNetwork ? !d.socialNetwork.supportive : false);
        break;
      }
      case DetentionEventType.DETENTION_RELEASED: {
        const d = event.data as DetentionReleasedData;
        // A release twice: the last one's facts stand.
        state.releasedAt = d.releasedAt;
        state.supervision = d.supervisionContinues;
        state.causes.released = ref;
        break;
      }
      case DetentionEventType.NOTIFICATION_WITHDRAWN:
        withdrawn = true;
        break;
    }
  }
  state.institutions.sort((a, b) => a.since.localeCompare(b.since) || a.code.localeCompare(b.code));
  state.status = withdrawn ? 'withdrawn' : state.releasedAt ? 'released' : 'detained';

  const sortedResults = [
    ...new Map(
      results.filter((r) => foldable(r, 'result', onSkipped)).map((r) => [`${r.source}|${r.id}`, r]),
    ).values(),
  ].sort(byTime);
  for (const r of sortedResults) {
    state.results.push({
      id: r.id,
      correlationid: r.correlationid ?? r.id,
      type: r.type,
      outcome: r.data.outcome,
      details: r.data.details ?? {},
      at: r.time,
    });
    applyResult(state, r);
  }
  state.referrals = [...new Set(state.referrals)].sort();
  // The same rule, on the same events, as the routing that stops feed deliveries to them.
  state.consentWithdrawnFrom = consentWithdrawnFrom(unique);
  return state;
}

/**
 * Whether an input has what the fold relies on: string id, source, type and time, and `data` an
 * object (a result's `details` an object or absent). Stored inputs were validated at the door, but
 * older rows or a gap in a validator must not make a case fail for ever (issue 9): such an input is
 * left out, with a reason naming the attribute only.
 */
function foldable(input: unknown, kind: 'event' | 'result', onSkipped: (reason: string) => void): boolean {
  const record: unknown = input;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  let problem: string | undefined;
  if (!isObject(record)) problem = 'not an object';
  else {
    for (const attribute of ['id', 'source', 'type', 'time'] as const)
      if (typeof record[attribute] !== 'string') problem ??= `${attribute} is not a string`;
    if (!isObject(record.data)) problem ??= 'data is not an object';
    else if (kind === 'result') {
      const data = record.data;
      if (typeof data.outcome !== 'string') problem ??= 'data.outcome is not a string';
      if (data.details !== undefined && data.details !== null && !isObject(data.details))
        problem ??= 'data.details is not an object';
    }
  }
  if (problem) onSkipped(`left out a malformed ${kind}: ${problem}`);
  return problem === undefined;
}

/** What a connector result means for the case's conditions and referrals. */
function applyResult(state: CaseState, r: CloudEvent<ConnectorResultData>): void {
  const details = r.data.details ?? {};
  const inHand = (condition: BasicCondition, partner?: string) => {
    const current = state.conditions[condition];
    if (current?.assessment === 'problem') {
      state.conditions[condition] = { ...current, assessment: 'in-hand', source: r.type, at: r.time };
    }
    if (partner) state.referrals.push(partner);
  };
  switch (r.type) {
    case ConnectorResultType.SCHULDHULP_REFERRAL_MADE:
      // Accepted or on the waiting list: in hand. Declined: the debts remain a problem.
      if (r.data.outcome === 'completed' && details.status !== 'declined') inHand('debts', 'schuldhulp');
      break;
    case ConnectorResultType.ZORG_PARTNERS_NOTIFIED:
    case ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED: {
      const partners = Array.isArray(details.partners) ? (details.partners as unknown[]) : [];
      for (const p of partners) if (typeof p === 'string') state.referrals.push(p);
      if (partners.length) inHand('care');
      break;
    }
    case ConnectorResultType.BRP_REGISTRATION_CHECKED:
      if (details.hasAddress === true) inHand('housing');
      if (details.hasValidIdDocument === true) inHand('identity');
      break;
    case ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED:
      // An address after release, or a postal address requested: housing is being dealt with.
      if (details.addressCheck !== null && details.addressCheck !== undefined) inHand('housing');
      break;
    case ConnectorResultType.INCOME_BENEFITS_CHECKED:
      if (details.hasBenefit === true) inHand('incomeWork');
      break;
  }
}
