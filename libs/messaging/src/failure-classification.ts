/**
 * Whether a thrown error is the infrastructure's (the database or a broker away: the same input
 * will succeed once it is back) or the input's (a bug our code hits on this input, a limit, data the
 * database refuses: the same input fails every time). Only infrastructure failures are retried
 * without limit; every other failure is counted and its input dead-lettered after a bounded number
 * of attempts (docs/adr/0013-failures-bounded-retries.md). Decided here, once, from the error's
 * type and codes, never by each handler guessing.
 */
export type FailureClass = 'infrastructure' | 'content';

/** Thrown on purpose by code that knows a failure is the infrastructure's (e.g. a pool timeout). */
export class InfrastructureFailure extends Error {
  override readonly name = 'InfrastructureFailure';
}

/** Node socket and DNS errors: the peer (database, broker) cannot be reached right now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTCONN',
]);

/**
 * PostgreSQL SQLSTATEs that say nothing about the input: 08 connection exception, 53 insufficient
 * resources, 57P0x shutdown / cannot connect now, 58 system error, 40001/40P01 serialization and
 * deadlock (retrying succeeds), 55P03 lock not available, 57014 statement timeout.
 */
function isInfrastructureSqlState(code: string): boolean {
  return (
    /^(08|53|58)[0-9A-Z]{3}$/.test(code) ||
    /^57P0[1-4]$/.test(code) ||
    ['40001', '40P01', '55P03', '57014'].includes(code)
  );
}

/** pg and TypeORM say a connection went away in their message only. */
const CONNECTION_LOST =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|Channel closed|Connection closed|Socket closed/i;

/** kafkajs errors that mean the broker, not the record. */
const KAFKA_INFRASTRUCTURE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSNotImplemented',
]);

export function classifyFailure(error: unknown): FailureClass {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // The error itself, what it wraps (TypeORM's driverError, `cause`) and an AggregateError's parts.
  const queue: unknown[] = [current];
  while (queue.length) {
    current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof InfrastructureFailure) return 'infrastructure';
    const e = current as { name?: unknown; code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (NETWORK_CODES.has(code) || isInfrastructureSqlState(code))) return 'infrastructure';
    if (typeof e.name === 'string' && KAFKA_INFRASTRUCTURE.has(e.name)) return 'infrastructure';
    // A database error with a SQLSTATE of its own is about the statement: trust the code, not the text.
    if (!code && typeof e.message === 'string' && CONNECTION_LOST.test(e.message)) return 'infrastructure';
    const wrapped = current as { driverError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(wrapped.driverError, wrapped.cause);
    if (Array.isArray(wrapped.errors)) queue.push(...wrapped.errors);
  }
  return 'content';
}

export function isInfrastructureFailure(error: unknown): boolean {
  return classifyFailure(error) === 'infrastructure';
}
