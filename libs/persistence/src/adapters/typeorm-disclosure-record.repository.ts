import { Injectable } from '@nestjs/common';
import { DisclosureRecord, DisclosureRecordPort } from '../ports/disclosure-record.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormDisclosureRecordRepository implements DisclosureRecordPort {
  constructor(private readonly unitOfWork: TypeormUnitOfWork) {}

  async append(records: readonly DisclosureRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => [
      r.deliveryId,
      r.traceId,
      r.spanId,
      r.recipientId,
      r.recipientKind,
      r.tenantId,
      r.detentionId,
      r.eventType,
      r.fieldPaths,
      r.processingActivity,
      r.legalGround,
      r.privacyProfileVersion,
    ]);
    const width = rows[0].length;
    const values = rows
      .map(
        (_, r) =>
          // The person's blind index from the detention (ADR 0025): access requests find it by BSN.
          `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')}, clock_timestamp(),
            (select person_index from detention where detention_id = $${r * width + 7}))`,
      )
      .join(', ');
    await this.unitOfWork.manager().query(
      `insert into disclosure_record (delivery_id, trace_id, span_id, recipient_id, recipient_kind, tenant_id,
         detention_id, event_type, field_paths, processing_activity, legal_ground, privacy_profile_version,
         disclosed_at, person_index)
       values ${values}`,
      rows.flat(),
    );
  }
}
