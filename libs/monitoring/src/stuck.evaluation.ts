/**
 * Whether a channel is moving: a pure function of its samples and the time, so the rule is tested
 * without brokers (stuck.evaluation.spec.ts). A channel has a backlog (Kafka lag, queue depth,
 * pending deliveries) and a position that grows while it works the backlog off (the committed
 * offset; minus the queue depth; the creation time of the oldest pending delivery). It is stuck
 * when it has had a backlog and its position has not grown for `stuckAfterMs`.
 */
export interface ProgressSample {
  at: Date;
  backlog: number;
  position: number;
}

export interface ProgressState {
  /** The last sample seen. */
  last: ProgressSample;
  /** Since when the backlog has been there without the position growing (null: moving or empty). */
  stillSince: Date | null;
}

/** Folds one sample into the channel's state. */
export function observe(previous: ProgressState | undefined, sample: ProgressSample): ProgressState {
  if (sample.backlog <= 0) return { last: sample, stillSince: null };
  if (!previous) return { last: sample, stillSince: sample.at };
  const moved = sample.position > previous.last.position;
  if (moved) return { last: sample, stillSince: sample.at };
  return { last: sample, stillSince: previous.stillSince ?? sample.at };
}

export interface StuckVerdict {
  stuck: boolean;
  /** When it last moved (the start of the stillness), once stuck; null otherwise. */
  stuckSince: Date | null;
}

export function verdict(state: ProgressState | undefined, now: Date, stuckAfterMs: number): StuckVerdict {
  const since = state?.stillSince;
  if (!since || now.getTime() - since.getTime() < stuckAfterMs) return { stuck: false, stuckSince: null };
  return { stuck: true, stuckSince: since };
}

/** Keeps the state of many channels by key; `track` observes and judges in one step. */
export class ProgressTracker {
  private readonly states = new Map<string, ProgressState>();

  constructor(private readonly stuckAfterMs: number) {}

  track(key: string, sample: ProgressSample): StuckVerdict {
    const state = observe(this.states.get(key), sample);
    this.states.set(key, state);
    return verdict(state, sample.at, this.stuckAfterMs);
  }
}
