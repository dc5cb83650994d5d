/**
 * The bench's INJUS/DPAN feed: the simulator's lifecycles (all event types, interleaved as in
 * SimulationRunner) published to the hub's Kafka ingress topic with kafkajs, acks=all. Injects
 * faults Jepsen-style and remembers them: about 5% of records are sent twice (same source and id),
 * about 1% are invalid (a `time` that is no RFC 3339 timestamp: must become a dead letter).
 */
import { randomUUID } from 'node:crypto';
import { Channels, DetentionEvent } from '@nazorg/contracts';
import { emittedAt, LifecycleGenerator, SeededRandom } from '@nazorg/simulator';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { sleep } from '../support';

export interface FeedCounts {
  /** Records published, all kinds. */
  records: number;
  /** Distinct valid events (what the hub must store once each). */
  valid: number;
  duplicates: number;
  invalid: number;
}

export class BenchFeed {
  readonly counts: FeedCounts = { records: 0, valid: 0, duplicates: 0, invalid: 0 };
  /** (source, id) of every distinct valid event sent. */
  readonly validIds: { source: string; id: string }[] = [];
  private producer: Producer;
  private readonly generator = new LifecycleGenerator(20261202);
  private readonly random = new SeededRandom(4242);
  private readonly active: DetentionEvent[][] = [];

  constructor(
    kafka: Kafka,
    private readonly duplicateShare = 0.05,
    private readonly invalidShare = 0.01,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** The next `n` records, stamped now (the latency clock starts at the event's `time`). */
  private records(n: number): { key: string; value: string; headers: Record<string, string> }[] {
    const out: { key: string; value: string; headers: Record<string, string> }[] = [];
    const now = new Date();
    while (out.length < n) {
      while (this.active.length < 50) this.active.push([...this.generator.next().events]);
      const index = this.random.int(0, this.active.length - 1);
      const queue = this.active[index];
      const event = emittedAt(queue.shift()!, now);
      if (queue.length === 0) this.active.splice(index, 1);
      const key = event.data.detentionId;
      const record = (e: object) => ({
        key,
        value: JSON.stringify(e),
        headers: { 'content-type': 'application/cloudevents+json' },
      });
      out.push(record(event));
      this.validIds.push({ source: event.source, id: event.id });
      this.counts.valid += 1;
      if (this.random.chance(this.duplicateShare)) {
        out.push(record(event));
        this.counts.duplicates += 1;
      }
      if (this.random.chance(this.invalidShare)) {
        out.push(record({ ...event, id: randomUUID(), time: 'not-a-time' }));
        this.counts.invalid += 1;
      }
    }
    this.counts.records += out.length;
    return out;
  }

  private async send(n: number): Promise<void> {
    await this.producer.send({ topic: Channels.KAFKA_INGRESS_TOPIC, acks: -1, messages: this.records(n) });
  }

  /** As fast as Kafka takes them, in batches of 200. */
  async burst(count: number): Promise<void> {
    for (let sent = 0; sent < count; sent += 200) await this.send(Math.min(200, count - sent));
  }

  /**
   * At `rate` records per second for `durationMs`, sent every 10 ms as what is due by then (a
   * send that lags behind catches up: the offered load stays the load asked for).
   */
  async paced(rate: number, durationMs: number, onTick?: () => void): Promise<number> {
    const t0 = Date.now();
    let sent = 0;
    for (;;) {
      const elapsed = Date.now() - t0;
      if (elapsed >= durationMs) break;
      const due = Math.floor((rate * elapsed) / 1000) - sent;
      if (due > 0) {
        await this.send(due);
        sent += due;
      }
      onTick?.();
      await sleep(10);
    }
    return sent;
  }
}
