import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { RecipientKind } from '@nazorg/contracts';
import {
  DETENTION_ERASURE,
  DetentionErasurePort,
  OUTBOX,
  OUTBOX_CHANNEL,
  OutboxPort,
  PendingDelivery,
} from '@nazorg/persistence';
import { HUB_DISCLOSURE_GROUNDS, Pseudonymizer, resolveDisclosureGrounds } from '@nazorg/privacy';
import { Client } from 'pg';
import { DELIVERY_SENDERS, DeliverySender, SendReport } from './delivery-sender.port';

const BATCH = 200;
const MAX_BACKOFF_MS = 30_000;

/**
 * Publishes the outbox. Woken at once by the NOTIFY that a storing transaction sends on commit,
 * and by a poll as a safety net. A failed row stays unpublished and is tried again with back-off:
 * a stored event is always delivered, and never before it is stored.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly senders: Map<string, DeliverySender>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private failures = 0;
  private readonly pseudonymizer: Pseudonymizer;
  private readonly grounds: ReturnType<typeof resolveDisclosureGrounds>;

  constructor(
    @Inject(OUTBOX) private readonly outbox: OutboxPort,
    @Inject(DELIVERY_SENDERS) senders: DeliverySender[],
    @Inject(DETENTION_ERASURE) private readonly erasure: DetentionErasurePort,
    private readonly config: AppConfig,
    tenants: TenantsFile,
  ) {
    this.grounds = resolveDisclosureGrounds(tenants.disclosureGrounds);
    this.senders = new Map(senders.map((s) => [s.channelType, s]));
    this.pseudonymizer = new Pseudonymizer(config.PSEUDONYM_KEY);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /** Publishes until the outbox is empty; returns how many rows it handled (tests, benchmarks). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.outbox.relay(
        BATCH,
        (batch) => this.send(batch),
        (d) => this.disclosure(d),
      );
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.config.OUTBOX_POLL_MS;
      try {
        const handled = await this.outbox.relay(
          BATCH,
          (batch) => this.send(batch),
          (d) => this.disclosure(d),
        );
        // A withdrawn detention is erased once its withdrawal has gone out to everyone.
        const erased = await this.erasure.eraseDelivered((id) => this.pseudonymizer.pseudonym(id), 50);
        if (erased > 0) this.logger.log(`erased ${erased} withdrawn detention(s)`);
        if (handled === BATCH && this.failures === 0) continue;
        if (this.failures > 0)
          delay = Math.min(this.config.DELIVERY_RETRY_BASE_MS * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
      } catch (error) {
        this.failures++;
        delay = Math.min(this.config.DELIVERY_RETRY_BASE_MS * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
        this.logger.warn(`outbox relay failed, retrying in ${delay} ms: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async send(batch: PendingDelivery[]): Promise<SendReport> {
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
      this.failures++;
      this.logger.warn(`${out.failed.length} deliveries failed; first: ${out.failed[0].error}`);
    } else {
      this.failures = 0;
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

  private async listen(): Promise<void> {
    try {
      this.listener = new Client({ connectionString: this.config.DATABASE_URL });
      this.listener.on('notification', () => this.wake?.());
      this.listener.on('error', (error) => this.logger.warn(`outbox listener: ${error.message}`));
      await this.listener.connect();
      await this.listener.query(`listen ${OUTBOX_CHANNEL}`);
    } catch (error) {
      // Polling still delivers everything, only slower.
      this.logger.warn(`outbox listener unavailable, polling only: ${(error as Error).message}`);
    }
  }
}
