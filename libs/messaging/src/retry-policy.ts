import { HandlingResult } from './handling-result';

/** How many attempts each cause of a retry gets before its message is dead-lettered. */
export interface RetryLimits {
  /** Retries of a `transient` failure (attempts = maxRetries + 1). */
  maxRetries: number;
  /** Attempts of a `content` failure, the first included. */
  contentFailureAttempts: number;
}

/** What the adapter does with a message after attempt `attempt` (1 = first delivery). */
export type Settlement =
  | { readonly action: 'ack' }
  | { readonly action: 'retry' }
  | { readonly action: 'dead-letter'; readonly reason: string };

/**
 * The one rule every broker adapter applies to a handler's result (docs/adr/0013): infrastructure
 * failures are retried for as long as they last; a content failure gets `contentFailureAttempts`
 * attempts, a transient one `maxRetries` retries; then the message is dead-lettered with its reason.
 */
export function settle(result: HandlingResult, attempt: number, limits: RetryLimits): Settlement {
  if (result.kind === 'done') return { action: 'ack' };
  if (result.kind === 'reject') return { action: 'dead-letter', reason: result.reason };
  const withinBudget =
    result.cause === 'infrastructure' ||
    (result.cause === 'content' ? attempt < limits.contentFailureAttempts : attempt <= limits.maxRetries);
  if (withinBudget) return { action: 'retry' };
  return {
    action: 'dead-letter',
    reason: `gave up after ${attempt} attempts (${result.cause}): ${result.reason}`,
  };
}
