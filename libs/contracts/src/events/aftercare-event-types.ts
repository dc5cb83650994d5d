/**
 * Events the hub's aftercare logic emits (issue 4), routed through the same outbox and privacy
 * profiles as the feed's events. Documented in docs/message-flows.md and docs/asyncapi.yaml.
 */
export const AftercareEventType = {
  /** To the tenant's zorg recipients: the warm-handover window before the expected release opened. */
  WARM_HANDOVER_DUE: 'nl.nazorghub.aftercare.warm-handover-due.v1',
  /** To the tenant's coordinator: a deadline is threatened or missed. */
  DEADLINE_ALERT: 'nl.nazorghub.aftercare.deadline-alert.v1',
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
