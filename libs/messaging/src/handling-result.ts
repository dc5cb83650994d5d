/**
 * What a message handler tells its broker adapter. Handlers never ack, nack or commit: the
 * adapter decides from this typed result (docs/adr/0002-delivery-decided-in-adapters.md).
 * - `done`: the message is durably handled (stored, or stored as rejected): ack / commit.
 * - `retry`: a transient failure (database or external system away): try again later.
 * - `reject`: it can never succeed and was not kept elsewhere: dead-letter it on the broker.
 * A handler that throws is treated as `retry`.
 */
export type HandlingResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

export const HandlingResult = {
  done: (): HandlingResult => ({ kind: 'done' }),
  retry: (reason: string): HandlingResult => ({ kind: 'retry', reason }),
  reject: (reason: string): HandlingResult => ({ kind: 'reject', reason }),
};

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
  /** 1 on first delivery; counts retries. */
  readonly attempt: number;
  /** RabbitMQ: the broker-validated user that published it (`user_id`); absent when it set none. */
  readonly publisher?: string;
}
