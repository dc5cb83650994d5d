import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { DisclosureRecord, DisclosureRecordPort } from '../ports/disclosure-record.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormDisclosureRecordRepository implements DisclosureRecordPort {
  constructor(
    private readonly unitOfWork: TypeormUnitOfWork,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    @Inject(PSEUDONYMIZER) private readonly pseudonyms: Pick<PseudonymizerPort, 'pseudonym'>,
  ) {}

  async append(records: readonly DisclosureRecord[]): Promise<void> {
    if (records.length === 0) return;
    const em = this.unitOfWork.manager();
    // The data subject's id sealed (Logboek Dataverwerkingen), under the detention's own key (all
    // the batch's keys in one look-up) and bound to the record; the keyed hash beside it is what a
    // coordinator's query looks up.
    const ids = records.map(() => randomUUID());
    const sealed = new Map<number, { sealed: Buffer; keyId: string }>();
    const byDetention = new Map<string, number[]>();
    records.forEach((r, i) => byDetention.set(r.detentionId, [...(byDetention.get(r.detentionId) ?? []), i]));
    const groups = [...byDetention];
    const sealedGroups = await this.cipher.sealEachFor(
      groups.map(([detentionId, indexes]) => ({
        owner: { detentionId },
        values: indexes.map((i) => ({
          plain: Buffer.from(detentionId, 'utf8'),
          at: { context: 'disclosure_record.detention' as const, row: ids[i] },
        })),
      })),
      em,
    );
    groups.forEach(([, indexes], g) => indexes.forEach((i, n) => sealed.set(i, sealedGroups[g][n])));
    const rows = records.map((r, i) => [
      ids[i],
      r.deliveryId,
      r.traceId,
      r.spanId,
      r.recipientId,
      r.recipientKind,
      r.tenantId,
      this.pseudonyms.pseudonym(r.detentionId),
      sealed.get(i)!.sealed,
      sealed.get(i)!.keyId,
      r.eventType,
      r.fieldPaths,
      r.processingActivity,
      r.legalGround,
      r.privacyProfileVersion,
      r.detentionId,
    ]);
    const width = rows[0].length;
    const values = rows
      .map(
        (_, r) =>
          // The last parameter only finds the person's blind index from the detention (ADR 0025):
          // access requests find the record by BSN.
          `(${Array.from({ length: width - 1 }, (_, c) => `$${r * width + c + 1}`).join(', ')}, clock_timestamp(),
            (select person_index from detention where detention_id = $${r * width + width}))`,
      )
      .join(', ');
    await em.query(
      `insert into disclosure_record (id, delivery_id, trace_id, span_id, recipient_id, recipient_kind, tenant_id,
         detention_pseudonym, detention_sealed, key_id, event_type, field_paths, processing_activity, legal_ground,
         privacy_profile_version, disclosed_at, person_index)
       values ${values}`,
      rows.flat(),
    );
  }
}
