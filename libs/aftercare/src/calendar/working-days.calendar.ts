import { dutchCalendarDate } from '@nazorg/contracts';
import { dutchPublicHolidays } from './dutch-holidays';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number since 1970-01-01 (UTC), so date arithmetic never meets DST or time zones. */
function toEpochDay(input: string | Date): number {
  let text: string;
  if (input instanceof Date || !ISO_DATE.test(input)) {
    // An instant (a Date or a timestamp string): deadlines are about the calendar day in the
    // Netherlands, not the UTC day of the instant.
    const date = dutchCalendarDate(input);
    if (!date) throw new RangeError(`Expected a YYYY-MM-DD date or an instant, got "${String(input)}"`);
    text = date;
  } else {
    text = input;
  }
  const match = ISO_DATE.exec(text);
  if (!match) throw new RangeError(`Expected a YYYY-MM-DD date, got "${text}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Reject dates such as 2026-02-30 that Date.UTC would silently roll over.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: "${text}"`);
  }
  return ms / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

function assertInteger(name: string, value: number, min = -Infinity): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer${min === 0 ? ' >= 0' : ''}, got ${value}`);
  }
}

/**
 * Dutch working days for legal terms ("binnen 5 werkdagen"): Monday to Friday, excluding the days
 * listed by dutchPublicHolidays(). A YYYY-MM-DD string is that date; an instant (a Date or a
 * timestamp string) is read as its Amsterdam calendar date.
 */
export class WorkingDaysCalendar {
  private readonly holidaysByYear = new Map<number, ReadonlySet<string>>();

  isWorkingDay(date: string | Date): boolean {
    return this.isWorkingEpochDay(toEpochDay(date));
  }

  /** The date `days` working days after `from`; `from` itself never counts, as in a legal term. */
  addWorkingDays(from: string | Date, days: number): string {
    assertInteger('days', days, 0);
    let current = toEpochDay(from);
    let remaining = days;
    while (remaining > 0) {
      current += 1;
      if (this.isWorkingEpochDay(current)) remaining -= 1;
    }
    return fromEpochDay(current);
  }

  addCalendarDays(from: string | Date, days: number): string {
    assertInteger('days', days);
    return fromEpochDay(toEpochDay(from) + days);
  }

  /** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
  workingDaysBetween(from: string | Date, to: string | Date): number {
    const start = toEpochDay(from);
    const end = toEpochDay(to);
    let count = 0;
    for (let day = start + 1; day <= end; day++) {
      if (this.isWorkingEpochDay(day)) count += 1;
    }
    return count;
  }

  private isWorkingEpochDay(epochDay: number): boolean {
    const date = new Date(epochDay * MS_PER_DAY);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    return !this.holidays(date.getUTCFullYear()).has(fromEpochDay(epochDay));
  }

  private holidays(year: number): ReadonlySet<string> {
    let set = this.holidaysByYear.get(year);
    if (!set) {
      set = new Set(dutchPublicHolidays(year));
      this.holidaysByYear.set(year, set);
    }
    return set;
  }
}
