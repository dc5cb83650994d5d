import { observe, ProgressTracker, verdict } from './stuck.evaluation';

const t = (s: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, s));

describe('stuck evaluation', () => {
  it('marks a backlog whose position does not grow as stuck after the configured time, since its last move', () => {
    const tracker = new ProgressTracker(30_000);
    expect(tracker.track('p0', { at: t(0), backlog: 2, position: 10 })).toEqual({
      stuck: false,
      stuckSince: null,
    });
    expect(tracker.track('p0', { at: t(29), backlog: 3, position: 10 }).stuck).toBe(false);
    expect(tracker.track('p0', { at: t(30), backlog: 3, position: 10 })).toEqual({
      stuck: true,
      stuckSince: t(0),
    });
    expect(tracker.track('p0', { at: t(50), backlog: 4, position: 10 })).toEqual({
      stuck: true,
      stuckSince: t(0),
    });
  });

  it('is not stuck while the position grows, however large the backlog', () => {
    const tracker = new ProgressTracker(10_000);
    for (let s = 0; s <= 60; s += 5) {
      expect(tracker.track('q', { at: t(s), backlog: 100 + s, position: s }).stuck).toBe(false);
    }
  });

  it('is not stuck without a backlog, and a move or an empty backlog clears it', () => {
    const tracker = new ProgressTracker(10_000);
    expect(tracker.track('a', { at: t(0), backlog: 0, position: 5 }).stuck).toBe(false);
    expect(tracker.track('a', { at: t(60), backlog: 0, position: 5 }).stuck).toBe(false);
    tracker.track('a', { at: t(61), backlog: 1, position: 5 });
    expect(tracker.track('a', { at: t(80), backlog: 1, position: 5 }).stuck).toBe(true);
    expect(tracker.track('a', { at: t(81), backlog: 1, position: 6 })).toEqual({
      stuck: false,
      stuckSince: null,
    });
    tracker.track('a', { at: t(95), backlog: 1, position: 6 });
    expect(tracker.track('a', { at: t(96), backlog: 0, position: 6 }).stuck).toBe(false);
  });

  it('starts the clock at the first sample when the backlog was there before it was watched', () => {
    const state = observe(undefined, { at: t(10), backlog: 1, position: 0 });
    expect(verdict(state, t(19), 10_000).stuck).toBe(false);
    expect(verdict(state, t(20), 10_000)).toEqual({ stuck: true, stuckSince: t(10) });
  });
});
