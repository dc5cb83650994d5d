import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { Channels } from '@nazorg/contracts';
import { AmqpConnection, closeChannel, EVENT_LOG, EventLogPort, HubQueues } from '@nazorg/messaging';
import {
  ChannelsSnapshot,
  KafkaPartitionHealth,
  MonitoringScope,
  QueueHealth,
  RecipientHealth,
} from './channel-health';
import { ProgressTracker } from './stuck.evaluation';

const PROBE_TIMEOUT_MS = 5000;

/**
 * Samples every channel the hub owns and judges it moving or stuck (stuck.evaluation.ts). The
 * samples live in this process: the ops app samples on every monitor tick and on every request, so
 * "stuck" means "not moving for CHANNEL_STUCK_AFTER_SECONDS as seen by this process".
 */
@Injectable()
export class ChannelHealthService {
  private readonly tracker: ProgressTracker;
  private readonly queueTenants = new Map<string, string | null>();
  private readonly recipientTenants = new Map<string, string | null>();
  /** Record timestamps by topic/partition@offset: a record's timestamp never changes. */
  private readonly timestamps = new Map<string, Date>();
  private readonly lastEmpty = new Map<string, Date>();
  private last?: ChannelsSnapshot;

  constructor(
    private readonly config: AppConfig,
    @Inject(EVENT_LOG) private readonly eventLog: EventLogPort,
    private readonly amqp: AmqpConnection,
    @InjectDataSource() private readonly db: DataSource,
    tenants: TenantsFile,
  ) {
    this.tracker = new ProgressTracker(config.CHANNEL_STUCK_AFTER_SECONDS * 1000);
    this.queueTenants.set(HubQueues.INGRESS, null);
    this.queueTenants.set(HubQueues.RESULTS, null);
    for (const t of tenants.tenants)
      for (const r of t.recipients) {
        this.queueTenants.set(Channels.recipientQueue(r.id), t.id);
        this.recipientTenants.set(r.id, t.id);
      }
    for (const r of tenants.sharedRecipients) {
      this.queueTenants.set(Channels.recipientQueue(r.id), null);
      this.recipientTenants.set(r.id, null);
    }
  }

  /** A fresh sample of every channel, narrowed to a coordinator's tenant (Kafka and hub queues are nobody's). */
  async snapshot(scope: MonitoringScope = null): Promise<ChannelsSnapshot> {
    const now = new Date();
    const [kafka, queues, recipients] = await Promise.all([
      this.kafka(now).catch(() => this.last?.kafka ?? []),
      this.queues(now),
      this.recipients(now),
    ]);
    const full: ChannelsSnapshot = {
      checkedAt: now.toISOString(),
      stuckAfterSeconds: this.config.CHANNEL_STUCK_AFTER_SECONDS,
      kafka,
      queues,
      recipients,
    };
    this.last = full;
    if (scope === null) return full;
    return {
      ...full,
      kafka: [],
      queues: queues.filter((q) => this.queueTenants.get(q.queue) === scope),
      recipients: recipients.filter((r) => r.tenant === scope),
    };
  }

  private async kafka(now: Date): Promise<KafkaPartitionHealth[]> {
    const topic = Channels.KAFKA_INGRESS_TOPIC;
    const offsets = await this.eventLog.consumerOffsets(this.config.KAFKA_GROUP_ID, [topic]);
    const rows = offsets.map((o) => {
      const end = BigInt(o.endOffset);
      // No committed offset yet: the hub starts from the beginning, so the whole partition is behind.
      const committed = o.committedOffset === '-1' ? 0n : BigInt(o.committedOffset);
      return { ...o, lag: Number(end > committed ? end - committed : 0n), committed };
    });
    const unknown = rows.filter(
      (r) => r.lag > 0 && !this.timestamps.has(`${r.topic}/${r.partition}@${r.committed}`),
    );
    if (unknown.length) {
      const read = await this.eventLog.recordTimestamps(
        topic,
        unknown.map((r) => ({ partition: r.partition, offset: r.committed.toString() })),
        PROBE_TIMEOUT_MS,
      );
      for (const r of read)
        if (r.timestamp) this.timestamps.set(`${topic}/${r.partition}@${r.offset}`, r.timestamp);
    }
    return rows.map((r) => {
      const key = `${r.topic}/${r.partition}`;
      const verdict = this.tracker.track(`kafka:${key}`, {
        at: now,
        backlog: r.lag,
        position: Number(r.committed),
      });
      const ts = r.lag > 0 ? this.timestamps.get(`${key}@${r.committed}`) : undefined;
      return {
        topic: r.topic,
        partition: r.partition,
        committedOffset: r.committedOffset,
        endOffset: r.endOffset,
        lag: r.lag,
        oldestUnconsumedAgeSeconds: ts ? ageSeconds(ts, now) : null,
        stuck: verdict.stuck,
        stuckSince: verdict.stuckSince?.toISOString() ?? null,
      };
    });
  }

  private async queues(now: Date): Promise<QueueHealth[]> {
    const out: QueueHealth[] = [];
    const model = await this.amqp.currentModel();
    for (const queue of this.queueTenants.keys()) {
      const channel = await model.createChannel();
      // A queue nobody declared yet closes the channel; its own handler keeps that from the connection.
      channel.on('error', () => undefined);
      let checked: { messageCount: number; consumerCount: number } | undefined;
      try {
        checked = await channel.checkQueue(queue);
      } catch {
        checked = undefined;
      } finally {
        await closeChannel(channel);
      }
      if (!checked) continue;
      const depth = checked.messageCount;
      if (depth === 0) this.lastEmpty.set(queue, now);
      // Draining is the queue's progress: a depth that never goes down is not moving.
      const verdict = this.tracker.track(`queue:${queue}`, { at: now, backlog: depth, position: -depth });
      const empty = this.lastEmpty.get(queue);
      out.push({
        queue,
        depth,
        consumers: checked.consumerCount,
        oldestMessageAgeSeconds: depth > 0 && empty ? ageSeconds(empty, now) : null,
        stuck: verdict.stuck,
        stuckSince: verdict.stuckSince?.toISOString() ?? null,
      });
    }
    return out;
  }

  private async recipients(now: Date): Promise<RecipientHealth[]> {
    const rows: {
      recipient_id: string;
      pending: string;
      failing: string;
      oldest: Date | null;
      next_attempt: Date | null;
    }[] = await this.db.query(
      `select recipient_id, count(*) as pending, count(*) filter (where publish_attempts > 0) as failing,
              min(created_at) as oldest, min(next_attempt_at) as next_attempt
       from delivery where published_at is null group by recipient_id`,
    );
    const pending = new Map(rows.map((r) => [r.recipient_id, r]));
    return [...this.recipientTenants].map(([recipientId, tenant]) => {
      const row = pending.get(recipientId);
      const count = Number(row?.pending ?? 0);
      // The oldest pending delivery going out is this recipient's progress.
      const verdict = this.tracker.track(`recipient:${recipientId}`, {
        at: now,
        backlog: count,
        position: row?.oldest ? new Date(row.oldest).getTime() : 0,
      });
      return {
        recipientId,
        tenant,
        pending: count,
        failing: Number(row?.failing ?? 0),
        oldestPendingAgeSeconds: row?.oldest ? ageSeconds(new Date(row.oldest), now) : null,
        nextAttemptAt: row?.next_attempt ? new Date(row.next_attempt).toISOString() : null,
        stuck: verdict.stuck,
        stuckSince: verdict.stuckSince?.toISOString() ?? null,
      };
    });
  }
}

function ageSeconds(since: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
}
