import { isValidBsn } from '@nazorg/contracts';
import { SeededRandom } from './random';

/** A test BSN: starts with 9999 (the range for test data) and passes the eleven-test. */
export function testBsn(random: SeededRandom): string {
  for (;;) {
    const candidate = `9999${String(random.int(0, 99999)).padStart(5, '0')}`;
    if (isValidBsn(candidate)) return candidate;
  }
}
