import fc from 'fast-check';
import { dutchPublicHolidays, easterSunday } from './dutch-holidays';
import { WorkingDaysCalendar } from './working-days.calendar';

describe('dutchPublicHolidays', () => {
  it.each([
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2016, '2016-03-27'],
    [2038, '2038-04-25'],
  ])('computes Easter %i as %s', (year, expected) => {
    expect(easterSunday(year).toISOString().slice(0, 10)).toBe(expected);
  });

  it('lists 2025, with Koningsdag on Saturday 26 April because 27 April is a Sunday', () => {
    expect(dutchPublicHolidays(2025)).toEqual([
      '2025-01-01',
      '2025-04-18',
      '2025-04-20',
      '2025-04-21',
      '2025-04-26',
      '2025-05-05',
      '2025-05-29',
      '2025-06-08',
      '2025-06-09',
      '2025-12-25',
      '2025-12-26',
    ]);
  });

  it('lists 2026', () => {
    expect(dutchPublicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-05',
      '2026-04-06',
      '2026-04-27',
      '2026-05-05',
      '2026-05-14',
      '2026-05-24',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('lists 2027', () => {
    expect(dutchPublicHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-03-26',
      '2027-03-28',
      '2027-03-29',
      '2027-04-27',
      '2027-05-05',
      '2027-05-06',
      '2027-05-16',
      '2027-05-17',
      '2027-12-25',
      '2027-12-26',
    ]);
  });

  it('counts 5 May in years that are not a lustrum', () => {
    expect(dutchPublicHolidays(2026)).toContain('2026-05-05');
    expect(dutchPublicHolidays(2027)).toContain('2027-05-05');
  });

  it('lists a day once when Hemelvaartsdag falls on 5 May (2016)', () => {
    const days = dutchPublicHolidays(2016);
    expect(days.filter((d) => d === '2016-05-05')).toHaveLength(1);
    expect(days).toHaveLength(10);
  });

  it('returns sorted ISO dates', () => {
    for (let year = 2024; year <= 2030; year++) {
      const days = dutchPublicHolidays(year);
      expect([...days].sort()).toEqual(days);
      for (const day of days) expect(day).toMatch(new RegExp(`^${year}-\\d{2}-\\d{2}$`));
    }
  });

  it('rejects a non-integer year', () => {
    expect(() => dutchPublicHolidays(2025.5)).toThrow(RangeError);
  });
});

describe('WorkingDaysCalendar', () => {
  const calendar = new WorkingDaysCalendar();

  describe('isWorkingDay', () => {
    it.each([
      ['2026-03-06', true], // Friday
      ['2026-03-07', false], // Saturday
      ['2026-03-08', false], // Sunday
      ['2026-04-03', false], // Goede Vrijdag
      ['2026-04-06', false], // Tweede Paasdag
      ['2026-04-27', false], // Koningsdag (Monday)
      ['2026-05-05', false], // Bevrijdingsdag (Tuesday)
      ['2026-05-14', false], // Hemelvaartsdag
      ['2026-05-25', false], // Tweede Pinksterdag
      ['2026-12-24', true], // Christmas Eve is a working day
      ['2026-12-25', false], // Eerste Kerstdag
      ['2027-01-01', false], // Nieuwjaarsdag
      ['2025-04-28', true], // Monday after Koningsdag 2025 (held on Saturday 26 April)
    ])('%s -> %s', (date, expected) => {
      expect(calendar.isWorkingDay(date)).toBe(expected);
    });

    it('reads a Date as its calendar date in Amsterdam', () => {
      // Friday 23:30 UTC is already Saturday 00:30 in Amsterdam (CET, UTC+1).
      expect(calendar.isWorkingDay(new Date('2026-03-27T23:30:00Z'))).toBe(false);
      expect(calendar.isWorkingDay(new Date('2026-03-27T22:30:00Z'))).toBe(true);
    });

    it('rejects malformed and impossible dates', () => {
      expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
      expect(() => calendar.isWorkingDay('18-12-2026')).toThrow(RangeError);
      expect(() => calendar.isWorkingDay(new Date('nonsense'))).toThrow(RangeError);
    });
  });

  describe('addWorkingDays', () => {
    it('skips Christmas: Friday 2026-12-18 + 5 working days = Monday 2026-12-28', () => {
      // 21, 22, 23, 24 Dec, then 25 Dec (holiday), 26-27 Dec (weekend; 26 Dec is a Saturday), 28 Dec.
      expect(calendar.addWorkingDays('2026-12-18', 5)).toBe('2026-12-28');
    });

    it('skips both Christmas days when they fall on weekdays (2025)', () => {
      expect(calendar.addWorkingDays('2025-12-24', 1)).toBe('2025-12-29');
      expect(calendar.addWorkingDays('2025-12-19', 5)).toBe('2025-12-30');
    });

    it('crosses New Year', () => {
      expect(calendar.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    });

    it('skips Goede Vrijdag and Tweede Paasdag', () => {
      expect(calendar.addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
      expect(calendar.addWorkingDays('2026-04-02', 5)).toBe('2026-04-13');
    });

    it('skips Koningsdag and Bevrijdingsdag (screening within 10 working days)', () => {
      expect(calendar.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
      expect(calendar.addWorkingDays('2026-04-24', 10)).toBe('2026-05-12');
    });

    it('does not lose a day for Koningsdag on a Saturday (2025)', () => {
      expect(calendar.addWorkingDays('2025-04-25', 1)).toBe('2025-04-28');
    });

    it('crosses a weekend', () => {
      expect(calendar.addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
      expect(calendar.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
      expect(calendar.addWorkingDays('2026-03-04', 5)).toBe('2026-03-11');
    });

    it('returns the start date itself for 0 days', () => {
      expect(calendar.addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
    });

    it('counts from the Amsterdam date of a Date given late in the evening UTC', () => {
      // Thursday 2026-03-26 23:30 UTC is Friday 27 March 00:30 in Amsterdam.
      expect(calendar.addWorkingDays(new Date('2026-03-26T23:30:00Z'), 1)).toBe('2026-03-30');
      expect(calendar.addWorkingDays(new Date('2026-03-26T22:30:00Z'), 1)).toBe('2026-03-27');
      // In summer time (UTC+2) the switch happens at 22:00 UTC.
      expect(calendar.addWorkingDays(new Date('2026-06-30T22:30:00Z'), 1)).toBe('2026-07-02');
      expect(calendar.addWorkingDays(new Date('2026-06-30T21:30:00Z'), 1)).toBe('2026-07-01');
    });

    it('rejects negative and fractional day counts', () => {
      expect(() => calendar.addWorkingDays('2026-03-06', -1)).toThrow(RangeError);
      expect(() => calendar.addWorkingDays('2026-03-06', 1.5)).toThrow(RangeError);
    });
  });

  describe('addCalendarDays', () => {
    it('adds and subtracts calendar days across month, year and DST boundaries', () => {
      expect(calendar.addCalendarDays('2026-12-18', 14)).toBe('2027-01-01');
      expect(calendar.addCalendarDays('2026-03-28', 2)).toBe('2026-03-30');
      expect(calendar.addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
      expect(calendar.addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    });

    it('uses the Amsterdam date of a Date', () => {
      expect(calendar.addCalendarDays(new Date('2026-12-31T23:30:00Z'), 0)).toBe('2027-01-01');
    });
  });

  describe('workingDaysBetween', () => {
    it('counts working days after from up to and including to', () => {
      expect(calendar.workingDaysBetween('2026-12-18', '2026-12-28')).toBe(5);
      expect(calendar.workingDaysBetween('2026-04-24', '2026-05-12')).toBe(10);
      expect(calendar.workingDaysBetween('2026-03-06', '2026-03-08')).toBe(0);
    });

    it('returns 0 when to is not after from', () => {
      expect(calendar.workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
      expect(calendar.workingDaysBetween('2026-03-10', '2026-03-02')).toBe(0);
    });

    it('accepts Dates', () => {
      expect(
        calendar.workingDaysBetween(new Date('2026-03-26T23:30:00Z'), new Date('2026-03-30T10:00:00Z')),
      ).toBe(1);
    });
  });

  describe('properties', () => {
    const firstDay = Date.UTC(2024, 0, 1) / 86_400_000;
    const lastDay = Date.UTC(2030, 11, 31) / 86_400_000;
    const isoDate = fc
      .integer({ min: firstDay, max: lastDay })
      .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));
    const instant = fc.date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2030-12-31T21:59:59Z'),
      noInvalidDate: true,
    });
    const start = fc.oneof(isoDate, instant);
    const count = fc.integer({ min: 1, max: 30 });

    it('addWorkingDays lands on a working day and workingDaysBetween inverts it', () => {
      fc.assert(
        fc.property(start, count, (from, n) => {
          const due = calendar.addWorkingDays(from, n);
          expect(calendar.isWorkingDay(due)).toBe(true);
          expect(calendar.workingDaysBetween(from, due)).toBe(n);
        }),
        { numRuns: 500 },
      );
    });

    it('addWorkingDays never returns a date before the calendar-day equivalent', () => {
      fc.assert(
        fc.property(start, count, (from, n) => {
          expect(calendar.addWorkingDays(from, n) >= calendar.addCalendarDays(from, n)).toBe(true);
        }),
      );
    });
  });
});
