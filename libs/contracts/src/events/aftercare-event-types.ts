/**
 * Events the hub's aftercare logic emits (issue 4), routed through the same outbox and privacy
 * profiles as the feed's events. Documented in docs/message-flows.md and docs/asyncapi.yaml.
 */
export const AftercareEventType = {
  /** To the tenant's zorg recipients: the warm-handover window before the expected release opened. */
  WARM_HANDOVER_DUE: 'nl.nazorghub.aftercare.warm-handover-due.v1',
  /** To the tenant's coordinator: a deadline is threatened or missed. */
  DEADLINE_ALERT: 'nl.nazorghub.aftercare.deadline-alert.v1',
  /**
   * To the tenant's schuldhulp or zorg recipients: the hub decided to refer (the screening found
   * debts with a wish for help, or care needs, and the tenant's consent policy allows it). The
   * connectors refer on this, never on the raw screening.
   */
  REFERRAL_REQUESTED: 'nl.nazorghub.aftercare.referral-requested.v1',
  /** To DJI on Kafka topic `dpan.municipal-info.v1`: the municipality's answer to DPAN. */
  DPAN_MUNICIPAL_INFO: 'nl.gemeente.dpan.municipal-info.v1',
} as const;
export type AftercareEventType = (typeof AftercareEventType)[keyof typeof AftercareEventType];

export const DPAN_ANSWER_TOPIC = 'dpan.municipal-info.v1';

/** `data` of warm-handover-due: only fields the zorg profile allows (detentionId, dates). */
export interface WarmHandoverDueData {
  detentionId: string;
  /** The expected release date the window was computed from (YYYY-MM-DD). */
  expectedReleaseDate: string;
}

/**
 * `data` of referral-requested before the recipient's privacy profile: the screening's fields on the
 * partner's subject and its consent, which gates `debts` (schuldhulp) and `care` (zorg) as for the
 * screening itself and is then removed. Without consent the request names the detention only.
 */
export interface ReferralRequestedData {
  detentionId: string;
  screenedAt?: string;
  /** schuldhulp: only with consent.schuldhulp. */
  debts?: { hasDebts: boolean; cjibDebt: boolean; estimatedTotal: string; wantsHelp: boolean };
  incomeWork?: { situation: string; benefitType?: string | null };
  /** zorg: only with consent.zorg. */
  care?: { needsCare: boolean; areas: string[]; currentProviders: string[] };
  housing?: { situation: string; atRiskOfLoss: boolean };
}
