import { periodOf } from './console-period';

describe('periodOf', () => {
  const now = new Date('2026-12-02T12:00:00Z');

  it('reads the presets, and falls back to the last hour', () => {
    expect(periodOf({ period: '24h' }, now)).toEqual({
      key: '24h',
      from: new Date('2026-12-01T12:00:00Z'),
      to: now,
      bucketSeconds: 1800,
    });
    expect(periodOf({ period: 'nonsense' }, now).key).toBe('1h');
    expect(periodOf({}, now).from).toEqual(new Date('2026-12-02T11:00:00Z'));
  });

  it('takes a custom range with at most about 60 buckets, and refuses a reversed one', () => {
    const custom = periodOf(
      { period: 'custom', from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' },
      now,
    );
    expect(custom).toMatchObject({ key: 'custom', bucketSeconds: 1440 });
    expect(
      periodOf({ period: 'custom', from: '2026-12-03T00:00:00Z', to: '2026-12-02T00:00:00Z' }, now).key,
    ).toBe('1h');
  });
});
