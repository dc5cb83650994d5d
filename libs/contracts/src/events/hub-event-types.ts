/**
 * Events the hub itself emits besides deliveries. Connector results travel on the topic exchange
 * `hub.results` with routing key = result type (CONTRACT section 3; the types are ours to define,
 * see docs/message-flows.md).
 */
export const HUB_SOURCE = 'urn:nl:nazorg-hub';

export const ConnectorResultType = {
  BRP_REGISTRATION_CHECKED: 'nl.nazorghub.result.brp.registration-checked.v1',
  INCOME_BENEFITS_CHECKED: 'nl.nazorghub.result.income.benefits-checked.v1',
  SCHULDHULP_REFERRAL_MADE: 'nl.nazorghub.result.schuldhulp.referral-made.v1',
  ZORG_PARTNERS_NOTIFIED: 'nl.nazorghub.result.zorg.partners-notified.v1',
  /** BRP at release: the address after release checked, or a postal address (briefadres) requested. */
  BRP_RELEASE_ADDRESS_CHECKED: 'nl.nazorghub.result.brp.release-address-checked.v1',
  /**
   * Income when the expected release is set or moves: the suspension re-decided by the tenant's
   * limit (a suspension that now runs too long becomes a stop; a pending one becomes definite).
   */
  INCOME_DECISION_REVISED: 'nl.nazorghub.result.income.decision-revised.v1',
  /**
   * BRP when the expected release is set or moves: the deregistration risk re-evaluated for the new
   * expected absence, and the back office told when it changed.
   */
  BRP_DEREGISTRATION_RISK_REVISED: 'nl.nazorghub.result.brp.deregistration-risk-revised.v1',
  /** Income at release: resumption of the suspended or stopped benefit requested; advance flagged. */
  INCOME_RESUMPTION_REQUESTED: 'nl.nazorghub.result.income.resumption-requested.v1',
  /** Zorg at detention start: the probation supervision registered with the care platform. */
  ZORG_SUPERVISION_REGISTERED: 'nl.nazorghub.result.zorg.supervision-registered.v1',
  /** Zorg when the warm-handover window opens: care partners and probation notified, acknowledgements. */
  ZORG_WARM_HANDOVER_NOTIFIED: 'nl.nazorghub.result.zorg.warm-handover-notified.v1',
} as const;
export type ConnectorResultType = (typeof ConnectorResultType)[keyof typeof ConnectorResultType];

/** `data` of every connector result. */
export interface ConnectorResultData {
  detentionId: string;
  recipientId: string;
  /** `completed`: the external system answered; `person-unknown`: it does not know the person. */
  outcome: 'completed' | 'person-unknown';
  /** What the external system said, as far as the recipient may know it. */
  details: Record<string, unknown>;
}
