import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { CloudEvent } from '@nazorg/contracts';
import { FeedSink } from '@nazorg/simulator';
import { FeedRunner } from './feed.runner';

class MemorySink implements FeedSink {
  readonly events: CloudEvent<object>[] = [];
  async send(event: CloudEvent<object>): Promise<void> {
    this.events.push(event);
  }
}

describe('FeedRunner', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('replays a scenario file as it is, in order', async () => {
    const sink = new MemorySink();
    const file = join(__dirname, '../../../scenarios/demo.jsonl');
    await new FeedRunner(sink).run({ mode: 'replay', sink: 'kafka', file });
    expect(sink.events.length).toBeGreaterThan(5);
    expect(sink.events[0].id).toBe('demo-0001-started');
  });

  it('simulates --count events', async () => {
    const sink = new MemorySink();
    await new FeedRunner(sink).run({ mode: 'simulate', sink: 'kafka', rate: 1000, seed: 1, count: 5 });
    expect(sink.events).toHaveLength(5);
  });

  it('stops a simulation without a count when asked', async () => {
    const sink = new MemorySink();
    const runner = new FeedRunner(sink);
    const running = runner.run({ mode: 'simulate', sink: 'kafka', rate: 200, seed: 1 });
    setTimeout(() => runner.stop(), 50);
    await running;
    expect(sink.events.length).toBeGreaterThan(0);
  });
});
