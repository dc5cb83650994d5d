const MS_PER_DAY = 86_400_000;

/** Easter Sunday (UTC midnight) via the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function plusDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * MS_PER_DAY);
}

/**
 * Days that stop a legal term in the Netherlands: the holidays of art. 3 Algemene termijnenwet plus
 * Goede Vrijdag, which the Besluit termijnenwet equates to them. Sorted ISO dates (YYYY-MM-DD).
 * Koningsdag follows the rule in force since 2014; earlier Koninginnedag dates are not modelled.
 */
export function dutchPublicHolidays(year: number): string[] {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Unsupported year: ${year}`);
  }
  const easter = easterSunday(year);
  // Koningsdag moves to the Saturday before when 27 April falls on a Sunday.
  const april27 = new Date(Date.UTC(year, 3, 27));
  const kingsDay = april27.getUTCDay() === 0 ? plusDays(april27, -1) : april27;

  const days = [
    new Date(Date.UTC(year, 0, 1)), // Nieuwjaarsdag
    plusDays(easter, -2), // Goede Vrijdag
    easter, // Eerste Paasdag
    plusDays(easter, 1), // Tweede Paasdag
    kingsDay,
    // The Algemene termijnenwet names "de vijfde mei" without the lustrum condition that
    // collective labour agreements use, so for legal terms it counts every year.
    new Date(Date.UTC(year, 4, 5)), // Bevrijdingsdag
    plusDays(easter, 39), // Hemelvaartsdag
    plusDays(easter, 49), // Eerste Pinksterdag
    plusDays(easter, 50), // Tweede Pinksterdag
    new Date(Date.UTC(year, 11, 25)), // Eerste Kerstdag
    new Date(Date.UTC(year, 11, 26)), // Tweede Kerstdag
  ];
  // A Set because Bevrijdingsdag and Hemelvaartsdag can coincide (e.g. 2016).
  return [...new Set(days.map(iso))].sort();
}
