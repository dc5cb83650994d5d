import { calendarDaysBetween, dutchCalendarDate } from './detention-dates';

describe('Dutch calendar dates of the contract’s dates and instants', () => {
  it('reads an instant as its date in Amsterdam, a date as it is', () => {
    expect(dutchCalendarDate('2026-11-20T22:59:00Z')).toBe('2026-11-20');
    expect(dutchCalendarDate('2026-11-20T23:30:00Z')).toBe('2026-11-21'); // 00:30 in winter time
    expect(dutchCalendarDate('2026-07-01T22:30:00Z')).toBe('2026-07-02'); // 00:30 in summer time
    expect(dutchCalendarDate('2027-02-18')).toBe('2027-02-18');
    expect(dutchCalendarDate(new Date('2026-11-20T12:00:00Z'))).toBe('2026-11-20');
    expect(dutchCalendarDate('not a date')).toBeUndefined();
    expect(dutchCalendarDate(null)).toBeUndefined();
  });

  it('counts calendar days whatever the hour: 20 November to 18 February is 90 days', () => {
    expect(calendarDaysBetween('2026-11-20T08:00:00Z', '2027-02-18')).toBe(90);
    expect(calendarDaysBetween('2026-11-20T13:00:00Z', '2027-02-18')).toBe(90);
    expect(calendarDaysBetween('2026-11-20T13:00:00Z', '2027-02-18T09:00:00Z')).toBe(90);
    // Started at 00:30 Amsterdam time on the 21st: one day less.
    expect(calendarDaysBetween('2026-11-20T23:30:00Z', '2027-02-18')).toBe(89);
    // Across the change to summer time, still whole days.
    expect(calendarDaysBetween('2026-03-01T10:00:00Z', '2026-04-01T10:00:00Z')).toBe(31);
    expect(calendarDaysBetween('2026-11-20T08:00:00Z', undefined)).toBeUndefined();
  });
});
