import { isValidBsn } from '@nazorg/contracts';

/**
 * Deterministic behaviour of the mocked external systems, so tests and simulated traffic get stable,
 * realistic answers. A few test BSNs (and, for the partner systems that never see a BSN, detention
 * ids ending in a suffix) are unknown, slow or make the system fail; see this folder's README.md.
 *
 * Every trigger BSN lies in 999900000-999900999, the block the feed simulator never draws from
 * (libs/simulator/src/test-bsn.ts), so simulated traffic never trips one by accident.
 */
export const MOCK_TRIGGERS = {
  /** Unknown to the BRP (`personen: []`) and to Suwinet (404). The first of UNKNOWN_BSNS. */
  unknownBsn: '999900006',
  /** Every system answers only after the configured delay (MOCK_SLOW_MS, 3000 ms by default). */
  slowBsn: '999900018',
  /** Every system answers `503 Service Unavailable` (problem+json). */
  failingBsn: '999900031',
  /** Every system answers `500 Internal Server Error` (problem+json). */
  erroringBsn: '999900067',
  unknownSuffix: '-UNKNOWN',
  slowSuffix: '-SLOW',
  failingSuffix: '-FAIL',
  erroringSuffix: '-ERROR',
  /** Debt help declines the referral (schuldhulp mock); otherwise drawn from the detention id. */
  declinedSuffix: '-AFGEWEZEN',
  /** Debt help puts the referral on its waiting list (schuldhulp mock). */
  waitingListSuffix: '-WACHTLIJST',
} as const;

/** The small set of valid test BSNs no system knows: people never registered in the BRP. */
export const UNKNOWN_BSNS: readonly string[] = [MOCK_TRIGGERS.unknownBsn, '999900043', '999900055'];

export type Behaviour = 'normal' | 'unknown' | 'slow' | 'unavailable' | 'error';

/**
 * What a mocked system does for a request about this BSN and/or detention. A BSN that fails the
 * eleven-test cannot belong to anyone, so it is unknown too (the systems validate only its format).
 */
export function behaviourOf(bsn: string | undefined, detentionId?: string): Behaviour {
  const endsWith = (suffix: string) => typeof detentionId === 'string' && detentionId.endsWith(suffix);
  if (bsn === MOCK_TRIGGERS.slowBsn || endsWith(MOCK_TRIGGERS.slowSuffix)) return 'slow';
  if (bsn === MOCK_TRIGGERS.failingBsn || endsWith(MOCK_TRIGGERS.failingSuffix)) return 'unavailable';
  if (bsn === MOCK_TRIGGERS.erroringBsn || endsWith(MOCK_TRIGGERS.erroringSuffix)) return 'error';
  if (endsWith(MOCK_TRIGGERS.unknownSuffix)) return 'unknown';
  if (bsn !== undefined && (UNKNOWN_BSNS.includes(bsn) || !isValidBsn(bsn))) return 'unknown';
  return 'normal';
}

/**
 * A stable number in [0, range) drawn from a value (a BSN) for one aspect of the generated answer.
 * Each aspect hashes with its own salt, so e.g. "has a benefit" and "is registered" are independent.
 */
export function draw(value: string, aspect: string, range: number): number {
  let hash = 2166136261;
  for (const ch of `${aspect}:${value}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  // FNV-1a spreads its low bits poorly for short inputs; fold the high bits in before the modulo.
  hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
  return ((hash ^ (hash >>> 12)) >>> 0) % range;
}

/** One of the options, chosen by `draw` with the given weights (any positive numbers). */
export function weighted<T>(value: string, aspect: string, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let point = (draw(value, aspect, 1_000_000) / 1_000_000) * total;
  for (const [option, weight] of options) {
    if (point < weight) return option;
    point -= weight;
  }
  return options[options.length - 1][0];
}

const SEVERITY: readonly Behaviour[] = ['unavailable', 'error', 'slow', 'unknown', 'normal'];

/** For a request about several people: the most disruptive behaviour among them decides. */
export function worstOf(behaviours: readonly Behaviour[]): Behaviour {
  return SEVERITY.find((b) => behaviours.includes(b)) ?? 'normal';
}
