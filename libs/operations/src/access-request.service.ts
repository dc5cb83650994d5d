import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, TenantsFile } from '@nazorg/config';
import {
  PersonIndex,
  personIndexFrom,
  PROCESSING_ACTIVITY_PURPOSES,
  RECIPIENT_KIND_ORGANISATIONS,
} from '@nazorg/privacy';
import { DataSource } from 'typeorm';

/** One disclosure of the person's data, for the person. */
export interface AccessRequestDisclosure {
  detentionId: string;
  recipientId: string;
  recipientKind: string;
  organisation: string;
  eventType: string;
  fieldPaths: string[];
  processingActivity: string;
  purpose: string;
  legalGround: string;
  disclosedAt: Date;
}

/** What the hub disclosed about one person in one tenant (AVG art. 15), across its detentions. */
export interface AccessReport {
  tenantId: string;
  tenantName: string;
  generatedAt: Date;
  /** The person's detentions in this tenant that the disclosure log holds (not erased ones). */
  detentionIds: string[];
  /** Which organisation received which fields, per purpose and legal ground (a summary of `disclosures`). */
  organisations: {
    recipientId: string;
    organisation: string;
    fieldPaths: string[];
    purposes: string[];
    legalGrounds: string[];
    firstDisclosedAt: Date;
    lastDisclosedAt: Date;
    disclosures: number;
  }[];
  disclosures: AccessRequestDisclosure[];
}

/**
 * Answers a citizen's access request (AVG art. 15) from the disclosure log: found by the blind
 * index of the BSN (ADR 0025), so the hub never stores the BSN in clear and the BSN never becomes a
 * query key in a URL or a log. Erasure clears the index, so an erased detention does not appear.
 */
@Injectable()
export class AccessRequestService {
  private readonly logger = new Logger(AccessRequestService.name);
  private readonly persons: PersonIndex;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tenants: TenantsFile,
    config: AppConfig,
  ) {
    this.persons = personIndexFrom(config);
  }

  async forPerson(bsn: string, tenantId: string, now = new Date()): Promise<AccessReport> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `select detention_id, recipient_id, recipient_kind, event_type, field_paths, processing_activity,
              legal_ground, disclosed_at
       from disclosure_record where tenant_id = $1 and person_index = any($2)
       order by disclosed_at, recipient_id`,
      // Indexed under the current key or, before a rotation, a previous one (ADR 0023).
      [tenantId, this.persons.candidates(bsn)],
    );
    const disclosures: AccessRequestDisclosure[] = rows.map((r) => ({
      detentionId: r.detention_id as string,
      recipientId: r.recipient_id as string,
      recipientKind: r.recipient_kind as string,
      organisation: RECIPIENT_KIND_ORGANISATIONS[r.recipient_kind as string] ?? (r.recipient_kind as string),
      eventType: r.event_type as string,
      fieldPaths: r.field_paths as string[],
      processingActivity: r.processing_activity as string,
      purpose:
        PROCESSING_ACTIVITY_PURPOSES[r.processing_activity as string] ?? (r.processing_activity as string),
      legalGround: r.legal_ground as string,
      disclosedAt: r.disclosed_at as Date,
    }));
    // Accountability of the lookup itself: who asked, and how much was found; never whom about.
    this.logger.log(`access request answered for tenant ${tenantId}: ${disclosures.length} disclosure(s)`);
    const byRecipient = new Map<string, AccessRequestDisclosure[]>();
    for (const d of disclosures)
      byRecipient.set(d.recipientId, [...(byRecipient.get(d.recipientId) ?? []), d]);
    const distinct = (values: string[]) => [...new Set(values)].sort();
    return {
      tenantId,
      tenantName: this.tenants.tenants.find((t) => t.id === tenantId)?.name ?? tenantId,
      generatedAt: now,
      detentionIds: distinct(disclosures.map((d) => d.detentionId)),
      organisations: [...byRecipient.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([recipientId, list]) => ({
          recipientId,
          organisation: list[0].organisation,
          fieldPaths: distinct(list.flatMap((d) => d.fieldPaths)),
          purposes: distinct(list.map((d) => d.purpose)),
          legalGrounds: distinct(list.map((d) => d.legalGround)),
          firstDisclosedAt: list[0].disclosedAt,
          lastDisclosedAt: list[list.length - 1].disclosedAt,
          disclosures: list.length,
        })),
      disclosures,
    };
  }
}
