import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { RecipientKind } from '@nazorg/contracts';
import {
  DETENTION_ERASURE,
  DetentionErasurePort,
  NotifiedWorkLoop,
  OUTBOX,
  OUTBOX_CHANNEL,
  OutboxPort,
  PendingDelivery,
  WorkPass,
} from '@nazorg/persistence';
import {
  HUB_DISCLOSURE_GROUNDS,
  loggableError,
  Pseudonymizer,
  resolveDisclosureGrounds,
} from '@nazorg/privacy';
import { BrokerDeadLettersService } from './broker-dead-letters.service';
import { DELIVERY_SENDERS, DeliverySender, SendReport } from './delivery-sender.port';
import { DeliveryObserver } from './delivery.observer';

const BATCH = 200;
const MAX_DELIVERY_BACKOFF_MS = 60_000;

/**
 * Publishes the outbox. Woken at once by the NOTIFY that a storing transaction sends on commit,
 * and by a poll as a safety net. A failed row stays unpublished and is tried again with back-off:
 * a stored event is always delivered, and never before it is stored.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly senders: Map<string, DeliverySender>;
  private readonly loop: NotifiedWorkLoop;
  private readonly pseudonymizer: Pseudonymizer;
  private readonly grounds: ReturnType<typeof resolveDisclosureGrounds>;

  constructor(
    @Inject(OUTBOX) private readonly outbox: OutboxPort,
    @Inject(DELIVERY_SENDERS) senders: DeliverySender[],
    @Inject(DETENTION_ERASURE) private readonly erasure: DetentionErasurePort,
    private readonly brokerDeadLetters: BrokerDeadLettersService,
    private readonly config: AppConfig,
    tenants: TenantsFile,
    private readonly observer: DeliveryObserver,
  ) {
    this.grounds = resolveDisclosureGrounds(tenants.disclosureGrounds);
    this.senders = new Map(senders.map((s) => [s.channelType, s]));
    this.pseudonymizer = new Pseudonymizer(config.PSEUDONYM_KEY);
    this.loop = new NotifiedWorkLoop({
      name: 'OutboxRelay',
      channel: OUTBOX_CHANNEL,
      databaseUrl: config.DATABASE_URL,
      pollMs: config.OUTBOX_POLL_MS,
      retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
      pass: () => this.pass(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Parked deliveries get one more try per start: the configuration that refused them may be fixed.
    const unparked = await this.outbox.unpark();
    if (unparked > 0) this.logger.log(`${unparked} parked deliveries are due again`);
    return this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Publishes until the outbox is empty; returns how many rows it handled (tests, benchmarks). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.outbox.relay(
        BATCH,
        (batch) => this.send(batch),
        (d) => this.disclosure(d),
        (failed) => this.retryAfterMs(failed),
      );
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async pass(): Promise<WorkPass> {
    const handled = await this.outbox.relay(
      BATCH,
      (batch) => this.send(batch),
      (d) => this.disclosure(d),
      (failed) => this.retryAfterMs(failed),
    );
    // A withdrawn detention is erased once its withdrawal has gone out to everyone.
    const erased = await this.erasure.eraseDelivered((id) => this.pseudonymizer.pseudonym(id), 50);
    if (erased > 0) {
      this.logger.log(`erased ${erased} withdrawn detention(s)`);
      await this.dropErasedDeadLetters();
    }
    // A failed delivery waits for its own next attempt; only a pass that throws (the database)
    // makes the whole loop back off.
    return handled === BATCH ? 'more' : 'idle';
  }

  /** What the broker still holds about them in dead-letter queues goes too (retried at housekeeping). */
  private async dropErasedDeadLetters(): Promise<void> {
    try {
      const dropped = await this.brokerDeadLetters.dropErased();
      if (dropped > 0) this.logger.log(`dropped ${dropped} broker dead letter(s) of erased detentions`);
    } catch (error) {
      this.logger.warn(`dropping broker dead letters of erased detentions failed: ${loggableError(error)}`);
    }
  }

  /**
   * A delivery's own back-off after its n-th failed attempt: DELIVERY_RETRY_BASE_MS doubling, at
   * most a minute, so a recipient that comes back hears within a minute and one that stays down
   * is asked about once a minute, not on every pass.
   */
  private retryAfterMs(failedAttempts: number): number {
    return Math.min(this.config.DELIVERY_RETRY_BASE_MS * 2 ** (failedAttempts - 1), MAX_DELIVERY_BACKOFF_MS);
  }

  private async send(claimed: PendingDelivery[]): Promise<SendReport> {
    const { batch, spans } = this.observer.begin(claimed);
    const report = await this.sendTraced(batch);
    this.observer.end(batch, spans, report);
    return report;
  }

  private async sendTraced(batch: PendingDelivery[]): Promise<SendReport> {
    const byChannel = new Map<string, PendingDelivery[]>();
    const out: SendReport = { sent: [], failed: [] };
    for (const d of batch) {
      // Nothing goes out that its disclosure record could not justify.
      if (!this.groundOf(d)) {
        out.failed.push({
          id: d.id,
          error: `no legal ground configured for recipient kind ${d.recipientKind}`,
        });
        continue;
      }
      byChannel.set(d.channel.type, [...(byChannel.get(d.channel.type) ?? []), d]);
    }
    for (const [type, rows] of byChannel) {
      const sender = this.senders.get(type);
      const result = sender
        ? await sender.send(rows)
        : { sent: [], failed: rows.map((r) => ({ id: r.id, error: `no sender for channel ${type}` })) };
      out.sent.push(...result.sent);
      out.failed.push(...result.failed);
    }
    if (out.failed.length) {
      this.logger.warn(`${out.failed.length} deliveries failed; first: ${out.failed[0].error}`);
    }
    this.logger.debug(`published ${out.sent.length} deliveries`);
    return out;
  }

  private disclosure(delivery: PendingDelivery) {
    return this.groundOf(delivery) as { processingActivity: string; legalGround: string };
  }

  private groundOf(delivery: PendingDelivery) {
    return (
      this.grounds[delivery.recipientKind as RecipientKind] ?? HUB_DISCLOSURE_GROUNDS[delivery.recipientKind]
    );
  }
}
