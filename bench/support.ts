/** What every part of `npm run bench` shares: the knobs, timing, percentiles, a sample event. */
import { LifecycleGenerator } from '@nazorg/simulator';

/** BENCH_QUICK=1: every part runs, with small counts and short windows (a minute or two in all). */
export const QUICK = process.env.BENCH_QUICK === '1';

export function knob(name: string, full: number, quick: number): number {
  const value = process.env[name];
  return value !== undefined && value !== '' ? Number(value) : QUICK ? quick : full;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const perSecond = (count: number, ms: number) => round((count * 1000) / Math.max(ms, 1), 0);

export function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * A real screening event from the simulator (the largest of the feed's event types): the baselines
 * move messages of this size, so they do the same I/O per message as the hub.
 */
export function sampleScreeningEvent(): string {
  const generator = new LifecycleGenerator(12);
  for (;;) {
    const screening = generator.next().events.find((e) => e.type === 'nl.dji.dpan.screening.completed.v1');
    if (screening) return JSON.stringify(screening);
  }
}

/** The sample event with a fresh id per message (what the idempotent inserts key on). */
export function eventWithId(sample: string, id: string): string {
  return sample.replace(/"id":"[^"]*"/, `"id":"${id}"`);
}
