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
