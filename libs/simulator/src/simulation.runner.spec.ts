import { Logger, LoggerService } from '@nestjs/common';
import {
  CloudEvent,
  DetentionEventType,
  DetentionStartedData,
  validateDetentionEvent,
} from '@nazorg/contracts';
import { FeedEventRefusedError, FeedSink } from './feed-sink.port';
import { PacedSender, shortType } from './paced.sender';
import { SimulationRunner } from './simulation.runner';

/** A clock that only moves when the code under test sleeps. */
function fakeTime(start = Date.parse('2026-11-25T12:00:00Z')) {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    slept,
    elapsed: () => t - start,
  };
}

class MemorySink implements FeedSink {
  readonly events: CloudEvent<object>[] = [];
  failNext = 0;
  refuse?: (event: CloudEvent<object>) => boolean;

  async send(event: CloudEvent<object>): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker unavailable');
    }
    if (this.refuse?.(event)) throw new FeedEventRefusedError('hub answered 400');
    this.events.push(event);
  }
}

/** Everything the simulator logs, to check it never names a person. */
const logged: string[] = [];
const capture: LoggerService = {
  log: (m: unknown) => void logged.push(String(m)),
  warn: (m: unknown) => void logged.push(String(m)),
  error: (m: unknown) => void logged.push(String(m)),
};
beforeAll(() => Logger.overrideLogger(capture));

describe('SimulationRunner', () => {
  it('sends exactly --count events at the given rate', async () => {
    const time = fakeTime();
    const sink = new MemorySink();
    const report = await new SimulationRunner(sink, { rate: 4, seed: 1, count: 40, ...time }).run();
    expect(sink.events).toHaveLength(40);
    expect(report.sent).toBe(40);
    // 40 events at 4/s: the first at once, then one every 250 ms.
    expect(time.elapsed()).toBe(39 * 250);
    expect(report.lifecycles).toBe(report.byType['detention.started']);
  });

  it('interleaves detentions while keeping each detention’s events in order', async () => {
    const time = fakeTime();
    const sink = new MemorySink();
    await new SimulationRunner(sink, { rate: 100, seed: 2, count: 2000, concurrency: 20, ...time }).run();
    const bySubject = new Map<string, string[]>();
    for (const e of sink.events) bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e.type]);
    for (const types of bySubject.values()) {
      expect(types[0]).toBe(DetentionEventType.DETENTION_STARTED);
      const end = types.findIndex(
        (t) => t === DetentionEventType.DETENTION_RELEASED || t === DetentionEventType.NOTIFICATION_WITHDRAWN,
      );
      if (end >= 0) expect(end).toBe(types.length - 1);
    }
    // Interleaved: the first detention's events are not all sent in one go.
    const first = sink.events[0].subject;
    const positions = sink.events.map((e, i) => (e.subject === first ? i : -1)).filter((i) => i >= 0);
    expect(positions[positions.length - 1] - positions[0]).toBeGreaterThan(positions.length);
  });

  it('stamps each event with the moment it is emitted, and every emitted event is valid', async () => {
    const time = fakeTime();
    const sink = new MemorySink();
    await new SimulationRunner(sink, { rate: 10, seed: 3, count: 300, ...time }).run();
    let previous = 0;
    for (const e of sink.events) {
      const at = Date.parse(e.time);
      expect(at).toBeGreaterThanOrEqual(previous);
      previous = at;
      const result = validateDetentionEvent(JSON.stringify(e), new Date(time.now()));
      expect(result.valid ? [] : result.violations).toEqual([]);
      const reported = (e.data as { releasedAt?: string; screenedAt?: string }).releasedAt;
      if (reported) expect(reported).toBe(e.time);
    }
  });

  it('is repeatable: the same seed gives the same events in the same order', async () => {
    const run = async () => {
      const sink = new MemorySink();
      await new SimulationRunner(sink, { rate: 50, seed: 9, count: 200, ...fakeTime() }).run();
      return sink.events;
    };
    expect(await run()).toEqual(await run());
  });

  it('retries a failed send with the same event, so no detention skips an event', async () => {
    const time = fakeTime();
    const sink = new MemorySink();
    const runner = new SimulationRunner(sink, { rate: 100, seed: 4, count: 50, ...time });
    sink.failNext = 3;
    const report = await runner.run();
    expect(report.retries).toBe(3);
    expect(sink.events).toHaveLength(50);
    // Back-off of 500, 1000 and 2000 ms before the first event went through.
    expect(time.slept.slice(0, 3)).toEqual([500, 1000, 2000]);
  });

  it('skips an event the receiver refused for good, and counts it', async () => {
    const sink = new MemorySink();
    let refusedOne = false;
    sink.refuse = (e) =>
      !refusedOne && e.type === DetentionEventType.RELEASE_SCHEDULED && (refusedOne = true);
    const report = await new SimulationRunner(sink, { rate: 100, seed: 5, count: 100, ...fakeTime() }).run();
    expect(report.refused).toBe(1);
    expect(report.sent).toBe(99);
  });

  it('logs counts and event types only: no BSN, name, birth date or detention id', async () => {
    logged.length = 0;
    const sink = new MemorySink();
    sink.failNext = 1;
    await new SimulationRunner(sink, {
      rate: 100,
      seed: 8,
      count: 500,
      progressEvery: 50,
      ...fakeTime(),
    }).run();
    expect(logged.length).toBeGreaterThan(10);
    const text = logged.join('\n');
    for (const e of sink.events) {
      expect(text).not.toContain(e.subject);
      expect(text).not.toContain(e.id);
      if (e.type === DetentionEventType.DETENTION_STARTED) {
        const { person } = e.data as DetentionStartedData;
        for (const value of [person.bsn, person.givenNames, person.familyName, person.birthDate]) {
          expect(text).not.toContain(value);
        }
      }
    }
  });

  it('stops on request, also in the middle of a wait', async () => {
    const sink = new MemorySink();
    const runner = new SimulationRunner(sink, { rate: 1000, seed: 6 });
    const running = runner.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    runner.stop();
    const report = await running;
    expect(report.sent).toBe(sink.events.length);
    expect(report.sent).toBeGreaterThan(0);
  });
});

describe('PacedSender', () => {
  it('does not burst to catch up after a stall', async () => {
    const time = fakeTime();
    const sink = new MemorySink();
    const sender = new PacedSender(sink, { rate: 10, ...time });
    const event = { type: DetentionEventType.DETENTION_STARTED } as CloudEvent<object>;
    await sender.send(event);
    await time.sleep(5000); // the sink (or the process) stalled for five seconds
    const before = time.slept.length;
    // One event of slack goes at once, then the rate holds again.
    await sender.send(event);
    await sender.send(event);
    await sender.send(event);
    expect(time.slept.slice(before)).toEqual([100]);
  });

  it('names types briefly in its counts, and never echoes an unknown type', () => {
    expect(shortType(DetentionEventType.DETENTION_STARTED)).toBe('detention.started');
    expect(shortType(DetentionEventType.SCREENING_COMPLETED)).toBe('screening.completed');
    expect(shortType('nl.dji.injus.Jan.de.Vries.v1')).toBe('other');
    expect(shortType(undefined)).toBe('other');
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new PacedSender(new MemorySink(), { rate: 0 })).toThrow('rate must be a positive number');
  });
});
