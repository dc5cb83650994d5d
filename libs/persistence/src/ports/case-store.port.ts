import { CloudEvent, ConnectorResultData, DetentionEvent } from '@nazorg/contracts';
import { OutboxEntry } from './outbox-writer.port';

export const CASE_STORE = Symbol('CASE_STORE');

/** What the hub has about one detention, loaded (and opened) under the detention's lock. */
export interface CaseInput {
  detentionId: string;
  tenantId: string | null;
  /** When the hub received the detention.started notification (null: not yet). */
  notifiedAt: Date | null;
  events: DetentionEvent[];
  results: CloudEvent<ConnectorResultData>[];
  /** The case as stored before, or null. */
  current: {
    dpanAnsweredAt: Date | null;
    warmHandoverSentFor: string | null;
    firstCareContactAt: Date | null;
  } | null;
}

/** The columns of `aftercare_case`; `state` is sealed. */
export interface CaseRecord {
  tenantId: string | null;
  status: string;
  personKey: string | null;
  startedAt: string | null;
  notifiedAt: Date | null;
  expectedReleaseDate: string | null;
  releasedAt: string | null;
  screenedAt: string | null;
  aftercareRequired: boolean | null;
  problems: string[];
  referrals: string[];
  dpanAnsweredAt: Date | null;
  warmHandoverSentFor: string | null;
  firstCareContactAt: Date | null;
  state: object;
}

export interface CaseAlert {
  deadline: string;
  status: string;
  dueOn: string;
}

export interface CaseDecision {
  record: CaseRecord;
  /** Hub-originated deliveries (DPAN answer, alerts, warm handover); ids make them idempotent. */
  outbox: OutboxEntry[];
  /** Alerts to raise; an alert already raised (same deadline and status) is not raised again. */
  alerts: CaseAlert[];
}

export interface AlertView {
  /** The detention's id, or its keyed hash once the detention was erased. */
  detentionId: string;
  /** Whether the detention was erased (then `detentionId` already is the keyed hash). */
  erased: boolean;
  tenantId: string;
  deadline: string;
  status: string;
  dueOn: string;
  raisedAt: Date;
}

/** The figures of the registration report, per tenant and month (DOMAIN.md). */
export interface RegistrationFigures {
  notifications: number;
  uniquePersons: number;
  withKnownLength: number;
  under90Days: number;
  screened: number;
  problemsPerCondition: Record<string, number>;
  referralsPerPartner: Record<string, number>;
  medianDaysToMunicipalAnswer: number | null;
  medianDaysReleaseToFirstCareContact: number | null;
}

export interface CaseStorePort {
  /*
   * Projecting cases is a use case's (CaseProjectorService) flow; these are its steps, each in the
   * caller's unit of work (UNIT_OF_WORK).
   */
  /**
   * Takes the detentions' locks (the ones storing an event or a result takes) for the unit of work;
   * the ids it holds. `skipLocked`: only those free now, the others are not waited for.
   */
  lockDetentions(ids: readonly string[], options: { skipLocked: boolean }): Promise<string[]>;
  /** What deciding a case needs, for each detention not erased that has events. */
  readInputs(ids: readonly string[]): Promise<CaseInput[]>;
  /**
   * Removes the refresh requests still as they were read (not renewed by a later event or result,
   * not removed by an erasure): the detentions whose request this answered.
   */
  answerRequests(requests: readonly { detentionId: string; requestedAt: string }[]): Promise<string[]>;
  /** Writes the cases (one statement), their outbox entries and new alerts; how many alerts were new. */
  writeCases(
    decided: readonly { input: CaseInput; decision: CaseDecision }[],
  ): Promise<{ newAlerts: number }>;
  /** Detentions whose case must be re-projected (events or results stored since), oldest first; not parked ones. */
  pendingRefreshes(limit: number): Promise<{ detentionId: string; requestedAt: string }[]>;
  /**
   * Counts a projection of this detention that failed on its data (`failure`: an error class, no
   * data); at `maxAttempts` its refresh request is parked: no longer worked off nor scanned, but
   * counted for operations, until a new event or result of the detention asks again.
   */
  recordProjectionFailure(
    detentionId: string,
    failure: string,
    maxAttempts: number,
  ): Promise<'counted' | 'parked'>;
  /**
   * Asks again for every parked projection (after a fix was deployed), with its attempts counted
   * from nought; the number of cases asked for.
   */
  retryParkedProjections(): Promise<number>;
  /** Ids of cases still open (detained, or released less than `releasedSinceDays` ago), in id order. */
  openCases(after: string | null, limit: number, releasedSince: Date): Promise<string[]>;
  alerts(tenantId: string | null, limit: number): Promise<AlertView[]>;
  /** The case of one detention with its state opened; undefined when there is none. */
  find(detentionId: string): Promise<{ tenantId: string | null; state: Record<string, unknown> } | undefined>;
  registrationFigures(tenantId: string, from: Date, to: Date): Promise<RegistrationFigures>;
}
