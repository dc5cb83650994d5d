import { CloudEvent, ConnectorResultType, isValidBsn } from '@nazorg/contracts';
import { ExternalAnswer } from './external-http.client';
import { ConnectorOutcome } from './recipient-connector.port';

/*
 * Small helpers every connector shares, so each connector file reads as its decision only.
 */

export const NOT_APPLICABLE: ConnectorOutcome = { status: 'not-applicable' };

export function completed(
  type: ConnectorResultType,
  outcome: 'completed' | 'person-unknown',
  details: Record<string, unknown>,
): ConnectorOutcome {
  return { status: 'completed', result: { type, data: { outcome, details } } };
}

/** A failed external call: transient ones are retried, refused ones dead-lettered. */
export function failureOutcome(answer: Exclude<ExternalAnswer, { kind: 'answer' }>): ConnectorOutcome {
  return answer.kind === 'transient'
    ? { status: 'retry', reason: answer.reason }
    : { status: 'failed', reason: answer.reason };
}

/** An answer that is not what the external system's interface promises; retrying will not fix it. */
export function unexpectedAnswer(system: string, what: string): ConnectorOutcome {
  return { status: 'failed', reason: `${system} answered without ${what}` };
}

/**
 * The BSN a delivery carries (`person.bsn`, detention.started only under CONTRACT v1), if it is a
 * valid one. Only for kinds whose privacy profile includes it; zorg never gets one.
 */
export function bsnOf(delivery: CloudEvent): string | undefined {
  const bsn = asRecord(asRecord(delivery.data)?.person)?.bsn;
  return isValidBsn(bsn) ? bsn : undefined;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
