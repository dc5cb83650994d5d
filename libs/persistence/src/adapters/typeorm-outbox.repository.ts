import { Inject, Injectable } from '@nestjs/common';
import { DetentionEventType } from '@nazorg/contracts';
import { errorName, isInfrastructureFailure } from '@nazorg/messaging';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { FailedDelivery, OutboxPort, PendingDelivery } from '../ports/outbox.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

/** The `delivery` table as the relay's outbox: claims with a lease, marks after the send. */
@Injectable()
export class TypeormOutboxRepository implements OutboxPort {
  constructor(
    private readonly unitOfWork: TypeormUnitOfWork,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  async claimDue(limit: number, leaseMs: number): Promise<PendingDelivery[]> {
    // One statement, committed at once: the lease is the claim (migration 1764129000000 says how
    // it chooses, and why sorting is off for it).
    const rows: Record<string, unknown>[] = await this.unitOfWork
      .manager()
      .query(`select * from nazorg_claim_due($1, $2, $3)`, [
        limit,
        leaseMs,
        DetentionEventType.NOTIFICATION_WITHDRAWN,
      ]);
    const pending: PendingDelivery[] = [];
    const unopenable: FailedDelivery[] = [];
    for (const r of rows.sort((a, b) => Number(a.seq) - Number(b.seq))) {
      let message: Record<string, unknown>;
      try {
        // Rows from before encryption at rest hold the message in clear until re-sealed.
        message = r.message_sealed
          ? await this.cipher.openJson(r.message_sealed as Buffer, {
              context: 'delivery.message',
              row: r.id as string,
            })
          : (r.message as Record<string, unknown>);
      } catch (error) {
        // The database away (a detention key not looked up): the claim fails and is tried again.
        if (isInfrastructureFailure(error)) throw error;
        // A row whose message does not open (damaged, or copied to another row, which the row
        // binding refuses) opens no better next time: parked with the error's class, so the rows
        // claimed with it go out and the next claim does not pick it again. Before, the whole
        // claim threw, again whenever its lease ran out, and the rows claimed with it waited too.
        unopenable.push({
          id: r.id as string,
          error: `sealed message does not open: ${errorName(error)}`,
          retryAfterMs: 0,
          refused: true,
        });
        continue;
      }
      pending.push({
        id: r.id as string,
        recipientId: r.recipient_id as string,
        recipientKind: r.recipient_kind as string,
        tenantId: r.tenant_id as string,
        detentionId: r.detention_id as string,
        channel: r.channel as PendingDelivery['channel'],
        exchange: r.exchange as string,
        routingKey: r.routing_key as string,
        message,
        disclosedPaths: r.disclosed_paths as string[],
        privacyProfileVersion: r.privacy_profile_version as string | null,
        publishAttempts: r.publish_attempts as number,
        createdAt: r.created_at as Date,
        traceContext: r.trace_context as Record<string, string> | null,
      });
    }
    await this.markFailed(unopenable);
    return pending;
  }

  async markSent(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const [marked]: [{ id: string }[], number] = await this.unitOfWork.manager().query(
      `update delivery set published_at = clock_timestamp(), publish_attempts = publish_attempts + 1,
         claimed_until = null
       where id = any($1) and published_at is null
       returning id`,
      [ids],
    );
    return marked.map((m) => m.id);
  }

  async markFailed(failures: readonly FailedDelivery[]): Promise<void> {
    if (failures.length === 0) return;
    await this.unitOfWork.manager().query(
      `update delivery d set publish_attempts = d.publish_attempts + 1, last_error = f.error,
         claimed_until = null,
         next_attempt_at = clock_timestamp() + make_interval(secs => f.delay_ms / 1000),
         parked_at = case when f.refused then clock_timestamp() end
       from unnest($1::uuid[], $2::text[], $3::double precision[], $4::boolean[]) f (id, error, delay_ms, refused)
       where d.id = f.id and d.published_at is null`,
      [
        failures.map((f) => f.id),
        failures.map((f) => f.error.slice(0, 500)),
        failures.map((f) => f.retryAfterMs),
        failures.map((f) => f.refused === true),
      ],
    );
  }

  async withholdWithoutConsent(): Promise<number> {
    // Before each claim, so a row written before the consent was withdrawn, one a concurrent case
    // projection wrote, or one waiting for a retry never goes out. A row claimed right now is
    // being sent; the withdrawal cancelled the waiting rows already (ADR 0025).
    const [, withheld]: [unknown[], number] = await this.unitOfWork.manager().query(
      // From the few detentions with a withdrawn consent (ix_detention_consent_withdrawn) to
      // their waiting rows (ix_delivery_pending_chain): not every waiting row once per claim.
      `delete from delivery where id in (
         select x.id from detention d join delivery x on x.detention_id = d.detention_id
         where d.consent_withdrawn_from <> '{}'
           and x.published_at is null and x.recipient_kind = any(d.consent_withdrawn_from)
           and x.message->>'type' <> $1
           and (x.claimed_until is null or x.claimed_until <= clock_timestamp())
         for update of x skip locked)`,
      [DetentionEventType.NOTIFICATION_WITHDRAWN],
    );
    return withheld;
  }

  async unpark(): Promise<number> {
    // UPDATE answers [rows, affected count] through TypeORM.
    const [, count]: [unknown[], number] = await this.unitOfWork
      .manager()
      .query(`update delivery set parked_at = null, next_attempt_at = null where parked_at is not null`);
    return count;
  }
}
