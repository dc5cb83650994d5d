import { Violation } from './violation';
import { isCalendarDate, isRfc3339 } from './validators';

/*
 * The hub's plausibility rules in one place (documented in docs/message-flows.md, "Validation
 * rules"): identifier patterns and the window every date and time must lie in. Messages name the
 * rule, never the value.
 */

export const ID_PATTERNS = {
  /**
   * `DJI-` and one to six groups of capitals and digits (CONTRACT example `DJI-2026-000123`; the
   * simulator, scenarios and the mocks' test triggers use longer groups such as `DJI-SIM-2026-…` or
   * a `-UNKNOWN` suffix). Safe in a URL path segment as it is: no dots, slashes or percent signs.
   */
  detentionId: /^DJI(?:-[A-Z0-9]{1,32}){1,6}$/,
  /** 1–128 characters, letters, digits and `. _ : -`, starting with a letter or digit (UUIDs fit). */
  eventId: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  /** Capitals and digits in hyphen-separated groups (`PI-NWG`), at most 32 characters. */
  institutionCode: /^(?=.{1,32}$)[A-Z0-9]+(?:-[A-Z0-9]+)*$/,
  /** CBS municipality code. */
  municipality: /^\d{4}$/,
} as const;

export const ID_RULES = {
  detentionId:
    'must be DJI- followed by 1 to 6 hyphen-separated groups of capitals and digits (DJI-2026-000123)',
  eventId: 'must be 1 to 128 letters, digits or . _ : - starting with a letter or digit',
  institutionCode: 'must be capitals and digits in hyphen-separated groups (PI-NWG), at most 32',
} as const;

const DAY_MS = 86_400_000;

/** The window of sane dates and times. */
export const DATE_WINDOW = {
  /** No event, result or date of the chain lies before this. */
  earliest: '1990-01-01',
  earliestBirthDate: '1900-01-01',
  /** `time`, every `*At` instant and a birth date: at most this far after the hub's clock. */
  maxFutureMs: DAY_MS,
  /** Announced release dates: at most this many years ahead. */
  maxYearsAheadForReleaseDates: 30,
} as const;

export type DateKind = 'instant' | 'releaseDate' | 'birthDate';

/** Why `value` (already known to be an RFC 3339 instant or calendar date) lies outside the window. */
export function outsideWindow(value: string, kind: DateKind, now: Date): string | undefined {
  const day = value.slice(0, 10);
  const earliest = kind === 'birthDate' ? DATE_WINDOW.earliestBirthDate : DATE_WINDOW.earliest;
  if (day < earliest) return `must not be before ${earliest}`;
  if (kind === 'releaseDate') {
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + DATE_WINDOW.maxYearsAheadForReleaseDates);
    if (day > latest.toISOString().slice(0, 10))
      return `must not be more than ${DATE_WINDOW.maxYearsAheadForReleaseDates} years ahead`;
    return undefined;
  }
  const latest = now.getTime() + DATE_WINDOW.maxFutureMs;
  if (kind === 'birthDate')
    return day > new Date(latest).toISOString().slice(0, 10) ? 'must not be in the future' : undefined;
  return Date.parse(value) > latest ? 'must not be more than one day in the future' : undefined;
}

/** Window violations of the given fields of `record` (those of the right format; others are reported elsewhere). */
export function windowViolations(
  record: Record<string, unknown>,
  fields: Record<string, DateKind>,
  prefix: string,
  now: Date,
): Violation[] {
  const out: Violation[] = [];
  for (const [field, kind] of Object.entries(fields)) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    const wellFormed = kind === 'instant' ? isRfc3339(value) : isCalendarDate(value);
    if (!wellFormed) continue;
    const problem = outsideWindow(value, kind, now);
    if (problem) out.push({ path: `${prefix}.${field}`, message: problem });
  }
  return out;
}
