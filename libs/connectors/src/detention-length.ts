import { calendarDaysBetween } from '@nazorg/contracts';

/*
 * The date arithmetic the connectors' decisions rest on (DOMAIN.md, Rules), kept pure so each rule
 * has a spec of its own.
 */

/**
 * Whole days from the start of the detention to the (expected or actual) release, in Dutch calendar
 * dates, as the hub counts them (calendarDaysBetween), so the time of day of `startedAt` does not
 * matter; undefined when either is missing or not a date.
 */
export function expectedDetentionDays(startedAt: unknown, expectedReleaseDate: unknown): number | undefined {
  const days = calendarDaysBetween(startedAt, expectedReleaseDate);
  return days === undefined ? undefined : Math.max(0, days);
}

/**
 * The old GBA rule (DOMAIN.md, Housing / BRP): someone absent from the municipality for longer than
 * two thirds of six months must be deregistered. Six months taken as half a year of 365 days, so the
 * limit is 121.67 days: an expected absence of 122 days or more is a risk, 121 is not.
 */
export const DEREGISTRATION_LIMIT_DAYS = (2 / 3) * (365 / 2);

export function deregistrationRisk(expectedAbsenceDays: number | undefined): boolean | null {
  return expectedAbsenceDays === undefined ? null : expectedAbsenceDays > DEREGISTRATION_LIMIT_DAYS;
}

/** The income connector's decision for a benefit during detention (DOMAIN.md, Benefits). */
export type BenefitDecision =
  /** Suspended: the expected detention is within the tenant's limit; resumed at release. */
  | 'suspend'
  /** Stopped: the detention is expected to last longer; re-applied for at release. */
  | 'stop'
  /** No expected release yet: suspended until the length is known. */
  | 'suspend-pending'
  /** There is no benefit to act on. */
  | 'none';

/** Suspend up to and including `suspendUpToDays` (the tenant's benefitSuspendUpToDays), stop beyond. */
export function benefitDecision(
  hasBenefit: boolean,
  expectedDays: number | undefined,
  suspendUpToDays: number,
): BenefitDecision {
  if (!hasBenefit) return 'none';
  if (expectedDays === undefined) return 'suspend-pending';
  return expectedDays <= suspendUpToDays ? 'suspend' : 'stop';
}
