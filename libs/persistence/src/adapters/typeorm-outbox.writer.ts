import { Inject, Injectable } from '@nestjs/common';
import { DetentionEventType } from '@nazorg/contracts';
import { currentTraceContext } from '@nazorg/observability';
import { EntityManager } from 'typeorm';
import { DATA_CIPHER, DataCipherPort, SealedValue } from '../encryption/data-cipher.port';
import { OutboxEntry, OutboxWriterPort, NewDelivery } from '../ports/outbox-writer.port';
import { envelopeOf } from './stored-envelopes';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';
import { OUTBOX_CHANNEL } from './work-channels';

@Injectable()
export class TypeormOutboxWriter implements OutboxWriterPort {
  constructor(
    private readonly unitOfWork: TypeormUnitOfWork,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  async add(deliveries: readonly NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await writeDeliveries(this.unitOfWork.manager(), this.cipher, deliveries);
    // Once per transaction, however many rows it wrote (a Kafka batch: one NOTIFY).
    await this.unitOfWork.notifyOnCommit(OUTBOX_CHANNEL);
  }

  async recipientsOf(detentionId: string): Promise<string[]> {
    const rows: { recipient_id: string }[] = await this.unitOfWork
      .manager()
      .query(`select distinct recipient_id from delivery where detention_id = $1`, [detentionId]);
    return rows.map((r) => r.recipient_id);
  }

  async withholdFrom(detentionId: string, recipientKinds: readonly string[]): Promise<void> {
    if (recipientKinds.length === 0) return;
    await this.unitOfWork.manager().query(
      `delete from delivery where detention_id = $1 and published_at is null and recipient_kind = any($2)
         and message->>'type' <> $3`,
      [detentionId, recipientKinds, DetentionEventType.NOTIFICATION_WITHDRAWN],
    );
  }
}

/**
 * Writes outbox rows the hub originates (an aftercare alert, a DPAN answer) for one detention, in
 * `em`'s transaction; the caller NOTIFYs. Their trace context is the caller's.
 */
export async function insertDeliveries(
  em: EntityManager,
  cipher: DataCipherPort,
  inboundEventId: string | null,
  detentionId: string,
  entries: readonly OutboxEntry[],
): Promise<void> {
  const traceContext = currentTraceContext();
  await writeDeliveries(
    em,
    cipher,
    entries.map((entry) => ({ entry, detentionId, inboundEventId, traceContext })),
  );
}

/** The delivery table's columns a delivery row is written with, in this order. */
const DELIVERY_COLUMNS = [
  'id',
  'inbound_event_id',
  'recipient_id',
  'recipient_kind',
  'tenant_id',
  'detention_id',
  'channel',
  'exchange',
  'routing_key',
  'message',
  'message_sealed',
  'key_id',
  'disclosed_paths',
  'privacy_profile_version',
  'trace_context',
] as const;

/** PostgreSQL takes at most 65,535 parameters per statement. */
const ROWS_PER_STATEMENT = Math.floor(60_000 / DELIVERY_COLUMNS.length);

/**
 * Seals each message under its detention's key, bound to its row
 * (the delivery id), and writes the rows in a few statements. An id already there is left alone,
 * so planning twice is harmless, also across a key rotation: an entry whose former id is there is
 * left out (ADR 0023).
 */
async function writeDeliveries(
  em: EntityManager,
  cipher: DataCipherPort,
  deliveries: readonly NewDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const formerIds = deliveries.flatMap((d) => d.entry.formerIds ?? []);
  let planned = deliveries;
  if (formerIds.length > 0) {
    const there: { id: string }[] = await em.query(
      `select id::text as id from delivery where id = any($1::uuid[])`,
      [formerIds],
    );
    const found = new Set(there.map((r) => r.id));
    planned = deliveries.filter((d) => !(d.entry.formerIds ?? []).some((id) => found.has(id)));
    if (planned.length === 0) return;
  }
  const byDetention = new Map<string, NewDelivery[]>();
  for (const d of planned) byDetention.set(d.detentionId, [...(byDetention.get(d.detentionId) ?? []), d]);
  const groups = [...byDetention.entries()];
  // Per detention, under its key: inside a Kafka batch the keys were looked up at its start.
  const sealed: SealedValue[][] = [];
  for (const [detentionId, group] of groups)
    sealed.push(
      await cipher.sealAllFor(
        group.map((d) => ({
          plain: Buffer.from(JSON.stringify(d.entry.message), 'utf8'),
          at: { context: 'delivery.message' as const, row: d.entry.id },
        })),
        { detentionId },
        em,
      ),
    );
  const rows = groups.flatMap(([, group], g) =>
    group.map((d, i) => [
      d.entry.id,
      d.inboundEventId,
      d.entry.recipientId,
      d.entry.recipientKind,
      d.entry.tenantId,
      d.detentionId,
      d.entry.channel,
      d.entry.exchange,
      d.entry.routingKey,
      envelopeOf(d.entry.message as Parameters<typeof envelopeOf>[0]),
      sealed[g][i].sealed,
      sealed[g][i].keyId,
      d.entry.disclosedPaths,
      d.entry.privacyProfileVersion,
      d.traceContext,
    ]),
  );
  const columns = DELIVERY_COLUMNS.length;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values = chunk
      .map(
        (_, row) => `(${Array.from({ length: columns }, (_, c) => `$${row * columns + c + 1}`).join(', ')})`,
      )
      .join(', ');
    await em.query(
      `insert into delivery (${DELIVERY_COLUMNS.join(', ')}) values ${values} on conflict (id) do nothing`,
      chunk.flat(),
    );
  }
}
