import { SeededRandom, toSeed } from './random';

describe('SeededRandom', () => {
  const draws = (seed: number) => {
    const r = new SeededRandom(seed);
    return Array.from({ length: 100 }, () => r.next());
  };

  it('gives the same stream for the same seed, another for another seed', () => {
    expect(draws(1)).toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));
  });

  it('draws uniformly in [0, 1), integers within both bounds', () => {
    const r = new SeededRandom(7);
    const values = Array.from({ length: 20000 }, () => r.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length - 0.5)).toBeLessThan(0.01);
    const ints = new Set(Array.from({ length: 1000 }, () => r.int(3, 5)));
    expect([...ints].sort()).toEqual([3, 4, 5]);
  });

  it('draws weighted values in proportion to their weights', () => {
    const r = new SeededRandom(11);
    const n = 20000;
    const a = Array.from({ length: n }, () =>
      r.weighted([
        ['a', 3],
        ['b', 1],
      ] as const),
    ).filter((v) => v === 'a');
    expect(Math.abs(a.length / n - 0.75)).toBeLessThan(0.02);
  });

  it('makes version-4 UUIDs, the same per seed', () => {
    const a = new SeededRandom(5).uuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new SeededRandom(5).uuid()).toBe(a);
  });

  it('turns a numeric seed into that number and hashes any other text', () => {
    expect(toSeed('42')).toBe(42);
    expect(toSeed('demo')).toBe(toSeed('demo'));
    expect(toSeed('demo')).not.toBe(toSeed('demo2'));
    expect(toSeed('99999999999')).toBeLessThan(2 ** 32);
  });
});
