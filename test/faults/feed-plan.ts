import { createHash } from 'node:crypto';
import { AppConfig } from '@nazorg/config';
import { DetentionEvent, DetentionEventType } from '@nazorg/contracts';
import { AmqpConfirmPublisher, AmqpConnection, KafkajsEventLog } from '@nazorg/messaging';
import {
  emittedAt,
  FeedSink,
  HttpFeedSink,
  KafkaFeedSink,
  LifecycleGenerator,
  PacedSender,
  RabbitmqFeedSink,
  SeededRandom,
} from '@nazorg/simulator';

export type Ingress = 'kafka' | 'rabbitmq' | 'http';
export const INGRESSES: readonly Ingress[] = ['kafka', 'rabbitmq', 'http'];

/** The events one fault is tried under: the same in the fault-free run and in the faulted one. */
export interface Segment {
  name: string;
  events: { event: DetentionEvent; ingress: Ingress }[];
  eventIds: Set<string>;
  detentionIds: Set<string>;
}

/** Time between the moments two consecutive planned events report (their `time`). */
const EVENT_SPACING_MS = 250;

/**
 * Plans the lifecycles of every segment up front, with fixed moments (`base` plus a step per event,
 * all in the past), so both runs send byte for byte the same events and their cases can be compared.
 * A detention's events all take one way in (half Kafka, a quarter RabbitMQ, a quarter HTTP), in order.
 */
export function planSegments(names: string[], eventsEach: number, seed: number, base: number): Segment[] {
  let moment = 0;
  return names.map((name, index) => {
    const generator = new LifecycleGenerator(seed + index * 7919, { now: () => new Date(base) });
    const interleaving = new SeededRandom((seed + index * 7919) ^ 0x5bd1e995);
    const active: DetentionEvent[][] = [];
    const events: Segment['events'] = [];
    while (events.length < eventsEach) {
      while (active.length < 50) active.push([...generator.next().events]);
      const at = interleaving.int(0, active.length - 1);
      const event = emittedAt(
        active[at].shift() as DetentionEvent,
        new Date(base + moment++ * EVENT_SPACING_MS),
      );
      if (active[at].length === 0) active.splice(at, 1);
      events.push({ event, ingress: ingressOf(event.data.detentionId) });
    }
    return {
      name,
      events,
      eventIds: new Set(events.map((e) => e.event.id)),
      detentionIds: new Set(events.map((e) => e.event.data.detentionId)),
    };
  });
}

function ingressOf(detentionId: string): Ingress {
  const n = createHash('sha256').update(detentionId).digest()[0] % 4;
  return n < 2 ? 'kafka' : n === 2 ? 'rabbitmq' : 'http';
}

/** HTTP ingest spread over the hubs that run, as a load balancer would: the next one when one fails. */
class BalancedHttpSink implements FeedSink {
  private turn = 0;
  constructor(
    private readonly config: AppConfig,
    private readonly hubUrls: () => string[],
  ) {}

  async send(event: DetentionEvent): Promise<void> {
    const urls = this.hubUrls();
    let last: unknown = new Error('no hub');
    for (let i = 0; i < urls.length; i++) {
      const url = urls[(this.turn + i) % urls.length];
      try {
        await new HttpFeedSink(this.config, url).send(event);
        this.turn++;
        return;
      } catch (error) {
        last = error;
        if (error instanceof Error && error.name === 'FeedEventRefusedError') throw error;
      }
    }
    throw last;
  }
}

/** The feed's three ways in, as the feed itself sends (its sinks and users). */
export class FeedSinks {
  readonly sinks: Record<Ingress, FeedSink>;
  private readonly eventLog: KafkajsEventLog;
  private readonly connections: AmqpConnection[];

  constructor(config: AppConfig, hubUrls: () => string[]) {
    this.eventLog = new KafkajsEventLog(
      Object.assign(new AppConfig(), config, { KAFKA_CLIENT_ID: 'nazorg-feed-faults' }),
    );
    const injus = new AmqpConnection(config, 'feed-injus');
    const dpan = new AmqpConnection(config, 'feed-dpan');
    this.connections = [injus, dpan];
    this.sinks = {
      kafka: new KafkaFeedSink(this.eventLog),
      rabbitmq: new RabbitmqFeedSink(new AmqpConfirmPublisher(injus), new AmqpConfirmPublisher(dpan)),
      http: new BalancedHttpSink(config, hubUrls),
    };
  }

  async close(): Promise<void> {
    for (const c of this.connections) await c.onApplicationShutdown().catch(() => undefined);
    await this.eventLog.close().catch(() => undefined);
  }
}

export interface StreamProgress {
  sent: number;
  refused: number;
  retries: number;
  total: number;
  done: Promise<void>;
  /** Ends the stream early (the suite's end). */
  stop(): void;
}

/**
 * Sends a segment at `rate` events/s in all, each way in at its share, concurrently: a way in that is
 * down holds up only its own events, each retried (same event) until it is accepted or refused.
 */
export function stream(segment: Segment, sinks: FeedSinks, rate: number): StreamProgress {
  const senders: PacedSender[] = [];
  const progress: StreamProgress = {
    sent: 0,
    refused: 0,
    retries: 0,
    total: segment.events.length,
    done: Promise.resolve(),
    stop: () => senders.forEach((s) => s.stop()),
  };
  const runs = INGRESSES.map(async (ingress) => {
    const mine = segment.events.filter((e) => e.ingress === ingress).map((e) => e.event);
    if (!mine.length) return;
    const sender = new PacedSender(sinks.sinks[ingress], {
      rate: (rate * mine.length) / segment.events.length,
      progressEvery: 1e9,
    });
    senders.push(sender);
    for (const event of mine) {
      const before = sender.report.refused;
      if (!(await sender.send(event))) return;
      if (sender.report.refused > before) progress.refused++;
      else progress.sent++;
      progress.retries = senders.reduce((n, s) => n + s.report.retries, 0);
    }
  });
  progress.done = Promise.all(runs).then(() => undefined);
  return progress;
}

/** Municipalities of the demo tenants: a marker detention starts in one, so its tenant hears of it. */
const TENANT_MUNICIPALITIES = new Set(['0307', '0327', '0351', '1783', '0392']);

/**
 * Markers: fresh `detention.started` events (detentions of their own, outside every segment) sent
 * after a fault over each way in, to time when deliveries flow again end to end.
 */
export class Markers {
  private readonly generator: LifecycleGenerator;
  /** Marker event id → its way in. */
  readonly sent = new Map<string, { ingress: Ingress; acceptedAt: number }>();

  constructor(seed: number) {
    this.generator = new LifecycleGenerator(seed, {});
  }

  next(): DetentionEvent {
    for (;;) {
      const started = this.generator.next().events[0];
      if (
        started.type === DetentionEventType.DETENTION_STARTED &&
        TENANT_MUNICIPALITIES.has((started.data as { municipalityOfOrigin: string }).municipalityOfOrigin)
      )
        return emittedAt(started, new Date());
    }
  }
}
