import { DeadLetterView } from '@nazorg/operations';
import { attemptsOf, groupDeadLetters } from './dead-letter-groups';

const letter = (id: string, channel: string, at: string, paths: string[]): DeadLetterView => ({
  id,
  channel,
  receivedAt: new Date(at),
  violations: paths.map((p) => ({ path: p, message: 'is invalid' })),
  payloadBytes: 10,
  source: null,
  type: null,
  status: 'open',
  replayedAt: null,
});

describe('groupDeadLetters', () => {
  it('groups by channel and the set of reasons, with count and first and last seen', () => {
    const groups = groupDeadLetters([
      letter('a', 'http', '2026-12-02T10:00:00Z', ['$.data.person.bsn']),
      letter('b', 'http', '2026-12-02T12:00:00Z', ['$.data.person.bsn', '$.data.person.bsn']),
      letter('c', 'kafka', '2026-12-02T11:00:00Z', ['$.data.person.bsn']),
      letter('d', 'http', '2026-12-02T09:00:00Z', ['$.data.person.bsn']),
    ]);
    expect(groups.map((g) => [g.channel, g.count])).toEqual([
      ['http', 3],
      ['kafka', 1],
    ]);
    expect(groups[0].firstSeen).toEqual(new Date('2026-12-02T09:00:00Z'));
    expect(groups[0].lastSeen).toEqual(new Date('2026-12-02T12:00:00Z'));
    expect(groups[0].items.map((i) => i.id)).toEqual(['a', 'b', 'd']);
    expect(groups[0].key).not.toBe(groups[1].key);
  });

  it('reads the attempts of a parked record from its reason', () => {
    expect(
      attemptsOf({ violations: [{ path: '$', message: 'could not be stored after 10 attempts (x); kept' }] }),
    ).toBe(10);
    expect(attemptsOf({ violations: [] })).toBe(1);
  });
});
