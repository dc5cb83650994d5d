import { classifyFailure } from './failure-classification';

/**
 * What a message handler tells its broker adapter. Handlers never ack, nack or commit: the
 * adapter decides from this typed result (docs/adr/0002-delivery-decided-in-adapters.md).
 * - `done`: the message is durably handled (stored, or stored as rejected): ack / commit.
 * - `retry`: not now. Its `cause` bounds how often (docs/adr/0013-failures-bounded-retries.md):
 *   `transient` (an external system away, the handler says so): up to the adapter's maxRetries;
 *   `infrastructure` (the database or a broker away): without limit, nothing could succeed anyway;
 *   `content` (the same input fails every time: a bug it triggers, data refused): a bounded number
 *   of attempts, then dead-lettered with its reason, so it never holds up the traffic behind it.
 * - `reject`: it can never succeed and was not kept elsewhere: dead-letter it on the broker.
 * A handler that throws is a `retry` whose cause the adapter classifies (failure-classification.ts).
 */
export type RetryCause = 'transient' | 'infrastructure' | 'content';

export type HandlingResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly reason: string; readonly cause: RetryCause }
  | { readonly kind: 'reject'; readonly reason: string };

export const HandlingResult = {
  done: (): HandlingResult => ({ kind: 'done' }),
  retry: (reason: string, cause: RetryCause = 'transient'): HandlingResult => ({
    kind: 'retry',
    reason,
    cause,
  }),
  reject: (reason: string): HandlingResult => ({ kind: 'reject', reason }),
  /** A thrown error: infrastructure or content by its classification; names only its class. */
  failed: (error: unknown, context = 'handler failed'): HandlingResult => ({
    kind: 'retry',
    reason: `${context}: ${errorName(error)}`,
    cause: classifyFailure(error),
  }),
};

/** The error's class only: its message may quote the data it failed on. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

export function isHandlingResult(value: unknown): value is HandlingResult {
  const kind = (value as HandlingResult | undefined)?.kind;
  return kind === 'done' || kind === 'retry' || kind === 'reject';
}

/** The payload a broker adapter hands to a Nest handler: the raw body and where it came from. */
export interface InboundMessage {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Kafka: topic; RabbitMQ: queue. */
  readonly channel: string;
  /** Kafka: message key; RabbitMQ: routing key. */
  readonly key: string | undefined;
  /** 1 on first delivery; counts retries (the hub's own count: a publisher cannot set it). */
  readonly attempt: number;
  /** RabbitMQ: the broker-validated user that published it (`user_id`); absent when it set none. */
  readonly publisher?: string;
}
