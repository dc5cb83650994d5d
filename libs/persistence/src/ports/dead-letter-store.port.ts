export const DEAD_LETTER_STORE = Symbol('DEAD_LETTER_STORE');

export interface RejectedInput {
  /** An ingress channel (`kafka`, `rabbitmq`, `http`, `replay`) or `results` (connector results). */
  channel: string;
  payload: Buffer;
  violations: { path: string; message: string }[];
  hints: { id?: string; source?: string; type?: string };
  /** Keyed hash of the detention the input names, if it names one: erasure finds it by this. */
  subjectPseudonym: string | null;
}

/** What operations may see of a dead letter: never its payload. */
export interface DeadLetterSummary {
  id: string;
  channel: string;
  receivedAt: Date;
  violations: { path: string; message: string }[];
  payloadBytes: number;
  source: string | null;
  eventId: string | null;
  type: string | null;
  status: string;
  replayedAt: Date | null;
}

export interface DeadLetterStorePort {
  record(input: RejectedInput): Promise<string>;
  list(options: { status?: string; limit: number; offset: number }): Promise<DeadLetterSummary[]>;
  /** The stored payload, for replay only. */
  payloadOf(id: string): Promise<{ payload: Buffer; status: string; channel: string } | undefined>;
  markReplayed(id: string): Promise<void>;
  /** Drops the payload of dead letters received before `receivedBefore` (reasons stay). Returns how many. */
  purgePayloads(receivedBefore: Date): Promise<number>;
}
