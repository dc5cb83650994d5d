import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { RecipientKind } from '@nazorg/contracts';
import {
  DISCLOSURE_RECORDS,
  DisclosureRecord,
  DisclosureRecordPort,
  OUTBOX,
  OutboxPort,
  PendingDelivery,
  UNIT_OF_WORK,
  UnitOfWorkPort,
} from '@nazorg/persistence';
import { errorName } from '@nazorg/messaging';
import { HUB_DISCLOSURE_GROUNDS, resolveDisclosureGrounds } from '@nazorg/privacy';
import { DELIVERY_SENDERS, DeliverySender, SendReport } from './delivery-sender.port';
import { DeliveryObserver } from './delivery.observer';

const MAX_DELIVERY_BACKOFF_MS = 60_000;

/**
 * One batch of the outbox, top-down: claim due rows (a short transaction of its own: a lease, no
 * lock held), send them outside any transaction, then in one unit of work mark the sent ones and
 * log their disclosure, and give the failed ones their back-off. A row is never marked before its
 * recipient's broker confirmed it (or its webhook answered 2xx); if the hub dies in between, the
 * lease runs out and the row goes out again under the same delivery id.
 */
@Injectable()
export class RelayOutboxBatchUseCase {
  private readonly logger = new Logger(RelayOutboxBatchUseCase.name);
  private readonly senders: Map<string, DeliverySender>;
  private readonly grounds: ReturnType<typeof resolveDisclosureGrounds>;
  /** Sent batches whose marking failed, oldest first. */
  private readonly unmarked: { claimed: PendingDelivery[]; report: SendReport }[] = [];
  /** Longer than a webhook may take to answer, whatever OUTBOX_CLAIM_LEASE_MS says. */
  private readonly leaseMs: number;

  constructor(
    @Inject(OUTBOX) private readonly outbox: OutboxPort,
    @Inject(DISCLOSURE_RECORDS) private readonly disclosures: DisclosureRecordPort,
    @Inject(UNIT_OF_WORK) private readonly unitOfWork: UnitOfWorkPort,
    @Inject(DELIVERY_SENDERS) senders: DeliverySender[],
    private readonly observer: DeliveryObserver,
    private readonly config: AppConfig,
    tenants: TenantsFile,
  ) {
    this.grounds = resolveDisclosureGrounds(tenants.disclosureGrounds);
    this.senders = new Map(senders.map((s) => [s.channelType, s]));
    this.leaseMs = Math.max(config.OUTBOX_CLAIM_LEASE_MS, 2 * config.CONNECTOR_HTTP_TIMEOUT_MS + 1000);
  }

  /** Relays one batch; returns how many rows it claimed (0: nothing due). */
  async execute(limit = this.config.OUTBOX_BATCH_SIZE): Promise<number> {
    // What was sent but could not be marked (the database away) is marked first, so it is not
    // sent again once the database is back (only a relay that dies leaves it to the lease).
    await this.markUnmarked();
    const withheld = await this.outbox.withholdWithoutConsent();
    const claimed = await this.outbox.claimDue(limit, this.leaseMs);
    if (claimed.length === 0) return withheld;
    let report: SendReport;
    try {
      report = await this.send(claimed);
    } catch (error) {
      // Senders report per row; should one throw all the same, its rows are not left claimed.
      report = {
        sent: [],
        failed: claimed.map((d) => ({ id: d.id, error: `send failed: ${errorName(error)}` })),
      };
    }
    this.unmarked.push({ claimed, report });
    await this.markUnmarked();
    return claimed.length + withheld;
  }

  /** Parked deliveries (refused by their sender) due again: once per start. */
  unpark(): Promise<number> {
    return this.outbox.unpark();
  }

  private async markUnmarked(): Promise<void> {
    // Taken out before the await: passes run side by side and must not mark one batch twice.
    for (let next = this.unmarked.shift(); next; next = this.unmarked.shift()) {
      try {
        await this.mark(next.claimed, next.report);
      } catch (error) {
        this.unmarked.unshift(next);
        throw error;
      }
    }
  }

  /** Marks the sent ones and logs their disclosure, backs the failed ones off: one unit of work. */
  private mark(claimed: PendingDelivery[], report: SendReport): Promise<void> {
    const byId = new Map(claimed.map((d) => [d.id, d]));
    return this.unitOfWork.run(async () => {
      const marked = await this.outbox.markSent(report.sent);
      await this.disclosures.append(marked.map((id) => this.disclosureOf(byId.get(id) as PendingDelivery)));
      await this.outbox.markFailed(
        report.failed.map((f) => ({
          ...f,
          retryAfterMs: this.retryAfterMs((byId.get(f.id)?.publishAttempts ?? 0) + 1),
        })),
      );
    });
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
    // The fault suite's window between claiming and publishing (OUTBOX_PUBLISH_DELAY_MS, 0 in use),
    // where it kills the hub with stored, claimed, unpublished rows.
    if (this.config.OUTBOX_PUBLISH_DELAY_MS > 0)
      await new Promise((resolve) => setTimeout(resolve, this.config.OUTBOX_PUBLISH_DELAY_MS));
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
    // The channels at once: a slow webhook does not hold up the broker's confirms.
    const results = await Promise.all(
      [...byChannel].map(([type, rows]) => {
        const sender = this.senders.get(type);
        return sender
          ? sender.send(rows)
          : { sent: [], failed: rows.map((r) => ({ id: r.id, error: `no sender for channel ${type}` })) };
      }),
    );
    for (const result of results) {
      out.sent.push(...result.sent);
      out.failed.push(...result.failed);
    }
    if (out.failed.length) {
      this.logger.warn(`${out.failed.length} deliveries failed; first: ${out.failed[0].error}`);
    }
    this.logger.debug(`published ${out.sent.length} deliveries`);
    return out;
  }

  private disclosureOf(d: PendingDelivery): DisclosureRecord {
    const facts = this.groundOf(d) as { processingActivity: string; legalGround: string };
    // W3C trace id from the chain's correlation id, so a chain's records can be followed.
    const correlation = String(d.message.correlationid ?? d.id).replace(/-/g, '');
    return {
      deliveryId: d.id,
      traceId: correlation.padEnd(32, '0').slice(0, 32),
      spanId: randomBytes(8).toString('hex'),
      recipientId: d.recipientId,
      recipientKind: d.recipientKind,
      tenantId: d.tenantId,
      detentionId: d.detentionId,
      eventType: String(d.message.type),
      fieldPaths: d.disclosedPaths,
      processingActivity: facts.processingActivity,
      legalGround: facts.legalGround,
      privacyProfileVersion: d.privacyProfileVersion,
    };
  }

  private groundOf(delivery: PendingDelivery) {
    return (
      this.grounds[delivery.recipientKind as RecipientKind] ?? HUB_DISCLOSURE_GROUNDS[delivery.recipientKind]
    );
  }
}
