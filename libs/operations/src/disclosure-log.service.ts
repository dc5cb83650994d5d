import { Inject, Injectable } from '@nestjs/common';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DisclosureView {
  recipientId: string;
  recipientKind: string;
  tenantId: string;
  eventType: string;
  fieldPaths: string[];
  processingActivity: string;
  legalGround: string;
  /** The privacy profile version that decided the fields (null: before profiles were versioned). */
  privacyProfileVersion: string | null;
  disclosedAt: Date;
  traceId: string;
  spanId: string;
}

/** Who received which fields about one detention, when, why and on which ground. */
@Injectable()
export class DisclosureLogService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PSEUDONYMIZER) private readonly pseudonyms: Pick<PseudonymizerPort, 'candidates'>,
  ) {}

  /** Undefined when the detention is unknown or belongs to another tenant (indistinguishable on purpose). */
  async forDetention(detentionId: string, tenantId: string): Promise<DisclosureView[] | undefined> {
    const owner: { tenant_id: string | null }[] = await this.db.query(
      `select tenant_id from detention where detention_id = $1`,
      [detentionId],
    );
    if (owner.length === 0 || owner[0].tenant_id !== tenantId) return undefined;
    const rows: Record<string, unknown>[] = await this.db.query(
      `select recipient_id, recipient_kind, tenant_id, event_type, field_paths, processing_activity, legal_ground,
              privacy_profile_version, disclosed_at, trace_id, span_id
       from disclosure_record where detention_pseudonym = any($1) order by disclosed_at, recipient_id`,
      // The log keeps the detention id sealed and files it under the keyed hash (ADR 0026): under
      // the current key or, before a rotation, a previous one (ADR 0023); in clear from before.
      [[...this.pseudonyms.candidates(detentionId), detentionId]],
    );
    return rows.map((r) => ({
      recipientId: r.recipient_id as string,
      recipientKind: r.recipient_kind as string,
      tenantId: r.tenant_id as string,
      eventType: r.event_type as string,
      fieldPaths: r.field_paths as string[],
      processingActivity: r.processing_activity as string,
      legalGround: r.legal_ground as string,
      privacyProfileVersion: r.privacy_profile_version as string | null,
      disclosedAt: r.disclosed_at as Date,
      traceId: r.trace_id as string,
      spanId: r.span_id as string,
    }));
  }
}
