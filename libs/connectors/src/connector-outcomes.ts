import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { ExternalAnswer } from './external-http.client';
import { ConnectorOutcome } from './recipient-connector.port';

/** Maps a failed external call to the outcome the broker adapter acts on. */
export function failureOutcome(answer: Exclude<ExternalAnswer, { kind: 'answer' }>): ConnectorOutcome {
  return answer.kind === 'transient'
    ? { status: 'retry', reason: answer.reason }
    : { status: 'failed', reason: answer.reason };
}

export function completed(
  type: ConnectorResultType,
  outcome: 'completed' | 'person-unknown',
  details: Record<string, unknown>,
): ConnectorOutcome {
  return { status: 'completed', result: { type, data: { outcome, details } } };
}

export const NOT_APPLICABLE: ConnectorOutcome = { status: 'not-applicable' };

/** The BSN of a detention.started delivery, for connectors whose recipients may see it. */
export function bsnOfStart(delivery: CloudEvent): string | undefined {
  if (delivery.type !== DetentionEventType.DETENTION_STARTED) return undefined;
  return (delivery.data.person as { bsn?: string } | undefined)?.bsn;
}
