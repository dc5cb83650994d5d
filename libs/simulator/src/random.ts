import { randomInt } from 'node:crypto';

/**
 * A small seeded PRNG (mulberry32). The same seed gives the same feed, so a demo, a failing test or a
 * benchmark run can be replayed exactly. Not for anything secret: 32 bits of state, predictable.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One value, drawn with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Normal (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Gamma with an integer shape: the sum of `shape` exponentials of mean `scale`. */
  gamma(shape: number, scale: number): number {
    let sum = 0;
    for (let i = 0; i < shape; i++) sum -= Math.log(1 - this.next());
    return sum * scale;
  }

  /** `length` characters from `alphabet`. */
  string(length: number, alphabet = '0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /**
   * A UUID in version 4 layout from this stream, so event ids are unique in practice and yet the
   * same for the same seed (a replayed run is recognised by the hub as duplicates, not new events).
   */
  uuid(): string {
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) bytes.writeUInt32BE(Math.floor(this.next() * 4294967296), i);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** An independent stream derived from this one (e.g. the runner's interleaving vs. the lifecycles). */
  fork(): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * 4294967296));
  }
}

/** A seed from a CLI or environment value: a number as is, any other text hashed (FNV-1a). */
export function toSeed(value: string): number {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(BigInt(trimmed) % 4294967296n);
  let hash = 2166136261;
  for (const ch of trimmed) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/** A fresh seed, for runs that did not ask for one (logged, so the run can be repeated). */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}
