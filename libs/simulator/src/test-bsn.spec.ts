import { isValidBsn } from '@nazorg/contracts';
import { SeededRandom } from './random';
import { testBsn } from './test-bsn';

describe('testBsn', () => {
  const random = new SeededRandom(99);
  const bsns = Array.from({ length: 10000 }, () => testBsn(random));

  it('starts with 9999 and passes the eleven-test', () => {
    for (const bsn of bsns) {
      expect(bsn).toMatch(/^9999\d{5}$/);
      expect(isValidBsn(bsn)).toBe(true);
    }
  });

  it('stays out of the block whose BSNs make the external mocks misbehave (999900xxx)', () => {
    expect(bsns.filter((b) => b.startsWith('999900'))).toEqual([]);
  });

  it('spreads over the test range', () => {
    expect(new Set(bsns).size).toBeGreaterThan(5000);
  });
});
