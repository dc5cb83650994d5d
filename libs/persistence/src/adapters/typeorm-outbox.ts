import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { DetentionEventType } from '@nazorg/contracts';
import { DisclosureFacts, FailedDelivery, OutboxPort, PendingDelivery } from '../ports/outbox.port';

/** Claims outbox rows with FOR UPDATE SKIP LOCKED, so several relays can run side by side. */
@Injectable()
export class TypeormOutbox implements OutboxPort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  relay(
    limit: number,
    send: (batch: PendingDelivery[]) => Promise<{ sent: string[]; failed: FailedDelivery[] }>,
    disclosure: (delivery: PendingDelivery) => DisclosureFacts,
    retryAfterMs: (failedAttempts: number) => number,
  ): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      // At send time, so a row written before the consent was withdrawn, one a concurrent case
      // projection wrote, or one waiting for a retry never goes out.
      const [, withheld]: [unknown[], number] = await em.query(
        `delete from delivery where id in (
           select x.id from delivery x join detention d on d.detention_id = x.detention_id
           where x.published_at is null and x.recipient_kind = any(d.consent_withdrawn_from)
             and x.message->>'type' <> $1
           for update of x skip locked)`,
        [DetentionEventType.NOTIFICATION_WITHDRAWN],
      );
      const rows: Record<string, unknown>[] = await em.query(
        `select id, recipient_id, recipient_kind, tenant_id, detention_id, channel, exchange, routing_key,
                message, message_sealed, disclosed_paths, privacy_profile_version, publish_attempts,
                created_at, trace_context
         from delivery
         where published_at is null and parked_at is null
           and (next_attempt_at is null or next_attempt_at <= clock_timestamp())
         order by created_at limit $1 for update skip locked`,
        [limit],
      );
      if (rows.length === 0) return withheld;
      const batch: PendingDelivery[] = rows.map((r) => ({
        id: r.id as string,
        recipientId: r.recipient_id as string,
        recipientKind: r.recipient_kind as string,
        tenantId: r.tenant_id as string,
        detentionId: r.detention_id as string,
        channel: r.channel as PendingDelivery['channel'],
        exchange: r.exchange as string,
        routingKey: r.routing_key as string,
        // Rows from before encryption at rest hold the message in clear until re-sealed.
        message: r.message_sealed
          ? this.cipher.openJson(r.message_sealed as Buffer, 'delivery.message')
          : (r.message as Record<string, unknown>),
        disclosedPaths: r.disclosed_paths as string[],
        privacyProfileVersion: r.privacy_profile_version as string | null,
        publishAttempts: r.publish_attempts as number,
        createdAt: r.created_at as Date,
        traceContext: r.trace_context as Record<string, string> | null,
      }));
      const { sent, failed } = await send(batch);
      if (sent.length) {
        await em.query(
          `update delivery set published_at = clock_timestamp(), publish_attempts = publish_attempts + 1
                        where id = any($1)`,
          [sent],
        );
        const byId = new Map(batch.map((d) => [d.id, d]));
        const rows = sent.map((id) => {
          const d = byId.get(id) as PendingDelivery;
          const facts = disclosure(d);
          // W3C trace id from the chain's correlation id, so a chain's records can be followed.
          const correlation = String(d.message.correlationid ?? d.id).replace(/-/g, '');
          return [
            d.id,
            correlation.padEnd(32, '0').slice(0, 32),
            randomBytes(8).toString('hex'),
            d.recipientId,
            d.recipientKind,
            d.tenantId,
            d.detentionId,
            d.message.type,
            d.disclosedPaths,
            facts.processingActivity,
            facts.legalGround,
            d.privacyProfileVersion,
          ];
        });
        const width = rows[0].length;
        const values = rows
          .map(
            (_, r) =>
              // The person's blind index from the detention (ADR 0025): access requests find it by BSN.
              `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')}, clock_timestamp(),
                (select person_index from detention where detention_id = $${r * width + 7}))`,
          )
          .join(', ');
        await em.query(
          `insert into disclosure_record (delivery_id, trace_id, span_id, recipient_id, recipient_kind, tenant_id,
             detention_id, event_type, field_paths, processing_activity, legal_ground, privacy_profile_version,
             disclosed_at, person_index)
           values ${values}`,
          rows.flat(),
        );
      }
      const attemptsOf = new Map(batch.map((d) => [d.id, d.publishAttempts]));
      for (const f of failed.filter((f) => f.refused)) {
        await em.query(
          `update delivery set publish_attempts = publish_attempts + 1, last_error = $2, parked_at = clock_timestamp()
           where id = $1`,
          [f.id, f.error.slice(0, 500)],
        );
      }
      for (const f of failed.filter((f) => !f.refused)) {
        const delayMs = retryAfterMs((attemptsOf.get(f.id) ?? 0) + 1);
        await em.query(
          `update delivery set publish_attempts = publish_attempts + 1, last_error = $2,
             next_attempt_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
           where id = $1`,
          [f.id, f.error.slice(0, 500), delayMs],
        );
      }
      return rows.length + withheld;
    });
  }

  async unpark(): Promise<number> {
    // UPDATE answers [rows, affected count] through TypeORM.
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `update delivery set parked_at = null, next_attempt_at = null where parked_at is not null`,
    );
    return count;
  }
}
