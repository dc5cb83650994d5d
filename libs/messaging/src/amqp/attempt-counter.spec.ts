import { ATTEMPT_HEADER, ATTEMPT_MAC_HEADER, AttemptCounter } from './attempt-counter';

/** The hub's own attempt count: what it signed counts, what a publisher set does not. */
describe('AttemptCounter', () => {
  const counter = new AttemptCounter('test-retry-counter-key');
  const body = Buffer.from('{"id":"e1"}');

  it('is the first attempt without a count', () => {
    expect(counter.attemptOf('q', 'm1', body, undefined)).toBe(1);
    expect(counter.attemptOf('q', 'm1', body, {})).toBe(1);
  });

  it('counts on from a count the hub signed', () => {
    const headers = counter.headersFor('q', 'm1', body, 3);
    expect(counter.attemptOf('q', 'm1', body, headers)).toBe(4);
    // amqplib hands string headers back as they were, a Buffer for long strings.
    expect(
      counter.attemptOf('q', 'm1', body, {
        ...headers,
        [ATTEMPT_MAC_HEADER]: Buffer.from(headers[ATTEMPT_MAC_HEADER]),
      }),
    ).toBe(4);
  });

  it.each([
    ['a forged count without a MAC', { [ATTEMPT_HEADER]: '999' }],
    ['a negative count', { [ATTEMPT_HEADER]: '-1000000' }],
    ['a count as a number', { [ATTEMPT_HEADER]: 999 }],
    ['infinity', { [ATTEMPT_HEADER]: 'Infinity' }],
    [
      'a raised count under the MAC of a lower one',
      { ...counter.headersFor('q', 'm1', body, 1), [ATTEMPT_HEADER]: '999' },
    ],
  ])('ignores %s', (_what, headers) => {
    expect(counter.attemptOf('q', 'm1', body, headers)).toBe(1);
  });

  it('does not carry a count over to another body, message or queue, nor under another key', () => {
    const headers = counter.headersFor('q', 'm1', body, 3);
    expect(counter.attemptOf('q', 'm1', Buffer.from('{"id":"e2"}'), headers)).toBe(1);
    expect(counter.attemptOf('q', 'm2', body, headers)).toBe(1);
    expect(counter.attemptOf('other', 'm1', body, headers)).toBe(1);
    expect(new AttemptCounter('another-key').attemptOf('q', 'm1', body, headers)).toBe(1);
  });
});
