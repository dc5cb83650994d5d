import { Violation } from '@nazorg/contracts';
import { IngressChannel, RoutingStatus } from '@nazorg/persistence';

/** A waiting event refused on its start's arrival: moved to the dead-letter store. */
export interface DisplacedEvent {
  deadLetterId: string;
  /** The channel the refused event came in on. */
  channel: IngressChannel;
  violations: Violation[];
}

/** What recording a valid event did. */
export type RecordOutcome =
  | {
      outcome: 'stored';
      eventRef: string;
      routingStatus: RoutingStatus;
      deliveries: number;
      /** Events that waited for this start and contradict it: now dead letters, not stored. */
      displaced?: DisplacedEvent[];
    }
  | { outcome: 'duplicate' }
  /** It contradicts what is known of its detention: nothing was stored or routed. */
  | { outcome: 'inconsistent'; violations: Violation[] };
