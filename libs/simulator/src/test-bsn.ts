import { SeededRandom } from './random';

/**
 * The external-system mocks give a few test BSNs special behaviour (unknown, slow, failing; see
 * libs/external-mocks/src/mock-behaviour.ts), all in 999900xxx. Simulated people stay out of that
 * block, so a simulation never trips a mock by accident.
 */
const RESERVED_BELOW = 100;

/** Eleven-test weights of the first eight digits; the ninth weighs -1. */
const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2];

/**
 * A test BSN: `9999` (the range reserved for test data), four drawn digits and the check digit that
 * makes it pass the eleven-test. About 9,000 exist outside the reserved block.
 */
export function testBsn(random: SeededRandom): string {
  for (;;) {
    const body = `9999${String(random.int(RESERVED_BELOW, 9999)).padStart(4, '0')}`;
    const check = elevenTestCheckDigit(body);
    if (check !== undefined) return `${body}${check}`;
  }
}

/** The ninth digit that completes eight digits into a BSN, or undefined when none does (sum % 11 = 10). */
export function elevenTestCheckDigit(firstEight: string): number | undefined {
  const sum = WEIGHTS.reduce((s, weight, i) => s + weight * Number(firstEight[i]), 0);
  const check = sum % 11;
  return check === 10 ? undefined : check;
}
