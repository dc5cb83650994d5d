import {
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  isValidBsn,
  validateDetentionEvent,
} from '@nazorg/contracts';
import { LifecycleGenerator } from './lifecycle.generator';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('LifecycleGenerator', () => {
  it('is deterministic per seed', () => {
    const a = new LifecycleGenerator(42, () => NOW).next();
    const b = new LifecycleGenerator(42, () => NOW).next();
    const c = new LifecycleGenerator(43, () => NOW).next();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  // One large sample, checked against DOMAIN.md's figures within the stated tolerances.
  const generator = new LifecycleGenerator(2026, () => NOW);
  const sample = Array.from({ length: 5000 }, () => generator.next());
  const starts = sample.map((l) => l.events[0].data as DetentionStartedData);
  const releases = sample.flatMap((l) =>
    l.events
      .filter((e) => e.type === DetentionEventType.DETENTION_RELEASED)
      .map((e) => e.data as DetentionReleasedData),
  );
  const share = (n: number, total: number) => (100 * n) / total;

  it('produces only events that pass the contract validation, with valid test BSNs', () => {
    for (const lifecycle of sample.slice(0, 1000)) {
      for (const event of lifecycle.events) {
        const result = validateDetentionEvent(JSON.stringify(event), NOW);
        expect(result.valid ? [] : result.violations).toEqual([]);
      }
    }
    for (const s of starts) {
      expect(s.person.bsn.startsWith('9999')).toBe(true);
      expect(isValidBsn(s.person.bsn)).toBe(true);
    }
  });

  it('detention length: 73% under 90 days (±4), mean 110 days (±20), within 2..3406', () => {
    const lengths = sample.map((l) => l.lengthDays);
    expect(share(lengths.filter((d) => d < 90).length, lengths.length)).toBeGreaterThan(69);
    expect(share(lengths.filter((d) => d < 90).length, lengths.length)).toBeLessThan(77);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(Math.abs(mean - 110)).toBeLessThan(20);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(3406);
  });

  it('people: mean age 34 (±3) within 18..75, 92% men (±3)', () => {
    const ages = starts.map(
      (s) => (Date.parse(s.startedAt) - Date.parse(s.person.birthDate)) / (365.25 * 86400_000),
    );
    const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
    expect(Math.abs(mean - 34)).toBeLessThan(3);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(18);
    expect(Math.max(...ages)).toBeLessThan(76);
    expect(
      Math.abs(share(starts.filter((s) => s.person.gender === 'M').length, starts.length) - 92.2),
    ).toBeLessThan(3);
  });

  it('about half are screened (±6), and short stays less often than long ones', () => {
    const screened = sample.filter((l) =>
      l.events.some((e) => e.type === DetentionEventType.SCREENING_COMPLETED),
    );
    expect(Math.abs(share(screened.length, sample.length) - 49.6)).toBeLessThan(6);
    const rate = (pred: (d: number) => boolean) =>
      share(
        screened.filter((l) => pred(l.lengthDays)).length,
        sample.filter((l) => pred(l.lengthDays)).length,
      );
    expect(rate((d) => d < 30)).toBeLessThan(rate((d) => d >= 90));
  });

  it('institutions as observed: PI Nieuwegein 23.5% (±3), PI Lelystad 20.3% (±3)', () => {
    const of = (code: string) =>
      share(starts.filter((s) => s.institution.code === code).length, starts.length);
    expect(Math.abs(of('PI-NWG') - 23.5)).toBeLessThan(3);
    expect(Math.abs(of('PI-LLS') - 20.3)).toBeLessThan(3);
  });

  it('destination after release unknown in 36.5% (±5)', () => {
    const unknown = releases.filter((r) => r.destinationMunicipality === null).length;
    expect(Math.abs(share(unknown, releases.length) - 36.5)).toBeLessThan(5);
  });

  it('keeps each lifecycle in order: started first, released or withdrawn last', () => {
    for (const l of sample.slice(0, 500)) {
      expect(l.events[0].type).toBe(DetentionEventType.DETENTION_STARTED);
      expect([DetentionEventType.DETENTION_RELEASED, DetentionEventType.NOTIFICATION_WITHDRAWN]).toContain(
        l.events[l.events.length - 1].type,
      );
    }
  });
});
