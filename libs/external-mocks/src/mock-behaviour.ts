import { Response } from 'express';

/**
 * Deterministic behaviour of the mocked external systems, so tests and the simulator get realistic
 * answers: particular test BSNs (or detention ids, for systems that never see a BSN) are unknown,
 * slow, or make the system fail. See this folder's README.md.
 */
export const MOCK_TRIGGERS = {
  unknownBsn: '999900006',
  slowBsn: '999900018',
  failingBsn: '999900031',
  unknownSuffix: '-UNKNOWN',
  slowSuffix: '-SLOW',
  failingSuffix: '-FAIL',
} as const;

export type Behaviour = 'normal' | 'unknown' | 'slow' | 'failing';

export function behaviourOf(bsn: string | undefined, detentionId?: string): Behaviour {
  if (bsn === MOCK_TRIGGERS.unknownBsn || detentionId?.endsWith(MOCK_TRIGGERS.unknownSuffix))
    return 'unknown';
  if (bsn === MOCK_TRIGGERS.slowBsn || detentionId?.endsWith(MOCK_TRIGGERS.slowSuffix)) return 'slow';
  if (bsn === MOCK_TRIGGERS.failingBsn || detentionId?.endsWith(MOCK_TRIGGERS.failingSuffix))
    return 'failing';
  return 'normal';
}

export const SLOW_ANSWER_MS = Number(process.env.MOCK_SLOW_MS ?? 3000);

/** Applies slow/failing behaviour; returns true when the response was already sent. */
export async function actOut(behaviour: Behaviour, res: Response): Promise<boolean> {
  if (behaviour === 'slow') await new Promise((r) => setTimeout(r, SLOW_ANSWER_MS));
  if (behaviour === 'failing') {
    res
      .status(503)
      .type('application/problem+json')
      .send(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }));
    return true;
  }
  return false;
}

/** A small stable number from a string, to derive plausible data from a BSN. */
export function digest(value: string): number {
  let h = 2166136261;
  for (const ch of value) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
