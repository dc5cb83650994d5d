import { DetentionEvent, DetentionEventType, ScreeningCompletedData } from '@nazorg/contracts';

/**
 * The partner kinds whose whole relation with a detention rests on its consent: care partners
 * (zorg) take care data, health data in the sense of AVG art. 9, and their traject exists only
 * by the person's consent (Wmo 2015). Debt help keeps its referral, which the municipality may make
 * without consent; only its debts field needs consent, and the privacy profile gates that per event.
 */
export const CONSENT_BOUND_KINDS = ['zorg'] as const;
export type ConsentBoundKind = (typeof CONSENT_BOUND_KINDS)[number];

/**
 * The consent-bound kinds whose consent the detention's screenings withdrew: an earlier screening
 * recorded it, the latest does not (ADR 0025). Screenings are taken in the case's own order (the
 * event's time, then its id), so arrival order does not matter. After a withdrawal nothing more
 * about the detention reaches such a partner, except the notification's own withdrawal (forget it);
 * a later screening that records the consent again lifts it.
 */
export function consentWithdrawnFrom(events: readonly DetentionEvent[]): ConsentBoundKind[] {
  const screenings = events
    .filter((e) => e.type === DetentionEventType.SCREENING_COMPLETED)
    .sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id))
    .map((e) => (e.data as ScreeningCompletedData).consent);
  const latest = screenings.at(-1);
  if (!latest) return [];
  return CONSENT_BOUND_KINDS.filter(
    (kind) => latest[kind] !== true && screenings.some((consent) => consent?.[kind] === true),
  );
}
