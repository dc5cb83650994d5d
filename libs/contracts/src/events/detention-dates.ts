/*
 * How the contract's dates count (CONTRACT section 2): `startedAt` and `releasedAt` are instants,
 * `expectedReleaseDate` is a date. Every rule about lengths (aftercare duty, the benefit's suspend
 * limit, the deregistration risk) is about calendar days in the Netherlands, not about the hours
 * between two instants: one place for it, so the hub and the connectors cannot count differently.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const AMSTERDAM_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar date (YYYY-MM-DD) in Europe/Amsterdam of a date (as it is) or an instant (string or
 * Date); undefined for anything that is neither.
 */
export function dutchCalendarDate(value: unknown): string | undefined {
  if (typeof value === 'string' && ISO_DATE.test(value)) {
    return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : value;
  }
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  // formatToParts, not format(): independent of the locale's separator.
  const parts = AMSTERDAM_DATE.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * Calendar days from the Dutch date of `start` to that of `end` (dates or instants): a detention
 * from 20 November to 18 February is 90 days, whatever the hour it started. Undefined when either
 * is missing or not a date.
 */
export function calendarDaysBetween(start: unknown, end: unknown): number | undefined {
  const from = dutchCalendarDate(start);
  const to = dutchCalendarDate(end);
  if (!from || !to) return undefined;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
