import {
  benefitDecision,
  DEREGISTRATION_LIMIT_DAYS,
  deregistrationRisk,
  expectedDetentionDays,
} from './detention-length';

describe('expectedDetentionDays', () => {
  it('counts Dutch calendar days from the start to the expected release, whatever the hour', () => {
    expect(expectedDetentionDays('2026-11-20T08:30:00Z', '2027-02-14')).toBe(86);
    expect(expectedDetentionDays('2026-11-20T13:00:00Z', '2027-02-18')).toBe(90);
    // 23:30 UTC is already 00:30 on the 21st in Amsterdam.
    expect(expectedDetentionDays('2026-11-20T23:30:00Z', '2026-11-22')).toBe(1);
    expect(expectedDetentionDays('2026-11-20T23:30:00Z', '2026-11-21')).toBe(0);
  });
  it('is undefined without an expected release or with a date that is not one', () => {
    expect(expectedDetentionDays('2026-11-20T08:30:00Z', undefined)).toBeUndefined();
    expect(expectedDetentionDays('2026-11-20T08:30:00Z', null)).toBeUndefined();
    expect(expectedDetentionDays('not a date', '2027-02-14')).toBeUndefined();
  });
});

describe('deregistration risk (absent longer than two thirds of six months)', () => {
  it('lies between 121 and 122 days', () => {
    expect(DEREGISTRATION_LIMIT_DAYS).toBeCloseTo(121.67, 2);
    expect(deregistrationRisk(121)).toBe(false);
    expect(deregistrationRisk(122)).toBe(true);
    expect(deregistrationRisk(30)).toBe(false);
    expect(deregistrationRisk(400)).toBe(true);
  });
  it('is unknown without an expected release', () => {
    expect(deregistrationRisk(undefined)).toBeNull();
  });
});

describe('benefit decision by the tenant’s benefitSuspendUpToDays', () => {
  it('national 30 days: suspend up to and including 30, stop beyond', () => {
    expect(benefitDecision(true, 30, 30)).toBe('suspend');
    expect(benefitDecision(true, 31, 30)).toBe('stop');
    expect(benefitDecision(true, 60, 30)).toBe('stop');
  });
  it('Amersfoort (eemland-zuid) 89 days: the same 60-day detention is only suspended; 90 days is three months, stopped', () => {
    expect(benefitDecision(true, 60, 89)).toBe('suspend');
    expect(benefitDecision(true, 89, 89)).toBe('suspend');
    expect(benefitDecision(true, 90, 89)).toBe('stop');
  });
  it('suspends pending while the expected release is unknown', () => {
    expect(benefitDecision(true, undefined, 30)).toBe('suspend-pending');
  });
  it('has nothing to decide without a benefit', () => {
    expect(benefitDecision(false, 200, 30)).toBe('none');
  });
});
