/** The feed's event types and the source each must come from (CONTRACT section 2). */
export const FeedSource = {
  INJUS: 'urn:nl:dji:injus',
  DPAN: 'urn:nl:dji:dpan',
} as const;
export type FeedSource = (typeof FeedSource)[keyof typeof FeedSource];

export const DetentionEventType = {
  DETENTION_STARTED: 'nl.dji.injus.detention.started.v1',
  SCREENING_COMPLETED: 'nl.dji.dpan.screening.completed.v1',
  RELEASE_SCHEDULED: 'nl.dji.injus.release.scheduled.v1',
  DETENTION_TRANSFERRED: 'nl.dji.injus.detention.transferred.v1',
  DETENTION_RELEASED: 'nl.dji.injus.detention.released.v1',
  NOTIFICATION_WITHDRAWN: 'nl.dji.injus.notification.withdrawn.v1',
} as const;
export type DetentionEventType = (typeof DetentionEventType)[keyof typeof DetentionEventType];

export const SOURCE_OF_TYPE: Record<DetentionEventType, FeedSource> = {
  [DetentionEventType.DETENTION_STARTED]: FeedSource.INJUS,
  [DetentionEventType.SCREENING_COMPLETED]: FeedSource.DPAN,
  [DetentionEventType.RELEASE_SCHEDULED]: FeedSource.INJUS,
  [DetentionEventType.DETENTION_TRANSFERRED]: FeedSource.INJUS,
  [DetentionEventType.DETENTION_RELEASED]: FeedSource.INJUS,
  [DetentionEventType.NOTIFICATION_WITHDRAWN]: FeedSource.INJUS,
};

export const ALL_DETENTION_EVENT_TYPES = Object.values(DetentionEventType);

export function isDetentionEventType(type: unknown): type is DetentionEventType {
  return typeof type === 'string' && (ALL_DETENTION_EVENT_TYPES as string[]).includes(type);
}

/** Topic and exchange names of the external contract (CONTRACT sections 2 and 3). */
export const Channels = {
  KAFKA_INGRESS_TOPIC: 'injus.detention-events.v1',
  RABBITMQ_INGRESS_EXCHANGE: 'injus.events',
  DELIVERIES_EXCHANGE: 'hub.deliveries',
  RESULTS_EXCHANGE: 'hub.results',
  recipientQueue: (recipientId: string) => `recipient.${recipientId}`,
} as const;

/** Largest accepted event body, in bytes (CONTRACT section 2). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** Kinds of recipient (CONTRACT section 3). */
export const RecipientKind = {
  BRP: 'brp',
  INCOME: 'income',
  SCHULDHULP: 'schuldhulp',
  ZORG: 'zorg',
  COORDINATOR: 'coordinator',
  OPS: 'ops',
} as const;
export type RecipientKind = (typeof RecipientKind)[keyof typeof RecipientKind];
export const ALL_RECIPIENT_KINDS = Object.values(RecipientKind);
