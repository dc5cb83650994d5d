import { HandlingResult } from './handling-result';
import { settle } from './retry-policy';

/** How many attempts each kind of failure gets before its message is dead-lettered. */
describe('settle', () => {
  const limits = { maxRetries: 2, contentFailureAttempts: 3 };
  const content = HandlingResult.failed(new TypeError('x'));
  const infrastructure = HandlingResult.failed(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }));

  it('acks what is done and dead-letters what is rejected, with its reason', () => {
    expect(settle(HandlingResult.done(), 1, limits)).toEqual({ action: 'ack' });
    expect(settle(HandlingResult.reject('bad'), 1, limits)).toEqual({ action: 'dead-letter', reason: 'bad' });
  });

  it('gives a content failure exactly contentFailureAttempts attempts', () => {
    expect(content).toMatchObject({ kind: 'retry', cause: 'content', reason: 'handler failed: TypeError' });
    expect(settle(content, 1, limits).action).toBe('retry');
    expect(settle(content, 2, limits).action).toBe('retry');
    expect(settle(content, 3, limits)).toEqual({
      action: 'dead-letter',
      reason: 'gave up after 3 attempts (content): handler failed: TypeError',
    });
  });

  it('retries a transient failure maxRetries times', () => {
    const transient = HandlingResult.retry('BRP away');
    expect(settle(transient, 2, limits)).toEqual({ action: 'retry' });
    expect(settle(transient, 3, limits)).toMatchObject({ action: 'dead-letter' });
  });

  it('retries an infrastructure failure without limit', () => {
    expect(infrastructure).toMatchObject({ cause: 'infrastructure' });
    expect(settle(infrastructure, 1_000_000, limits)).toEqual({ action: 'retry' });
  });
});
