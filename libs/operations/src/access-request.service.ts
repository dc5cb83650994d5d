import { Inject, Injectable, Logger } from '@nestjs/common';
import { DATA_CIPHER, DataCipherPort } from '@nazorg/persistence';
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
    @Inject(DATA_CIPHER) private readonly cipher: Pick<DataCipherPort, 'open'>,
  ) {
    this.persons = personIndexFrom(config);
  }

  async forPerson(bsn: string, tenantId: string, now = new Date()): Promise<AccessReport> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `select id::text as id, detention_pseudonym, detention_sealed, recipient_id, recipient_kind, event_type,
              field_paths, processing_activity, legal_ground, disclosed_at
       from disclosure_record where tenant_id = $1 and person_index = any($2)
       order by disclosed_at, recipient_id`,
      // Indexed under the current key or, before a rotation, a previous one (ADR 0023).
      [tenantId, this.persons.candidates(bsn)],
    );
    // The detention ids are sealed in the log (ADR 0026): opened for the person's own report.
    const detentionIds: string[] = [];
    for (const r of rows)
      detentionIds.push(
        r.detention_sealed
          ? (
              await this.cipher.open(r.detention_sealed as Buffer, {
                context: 'disclosure_record.detention',
                row: r.id as string,
              })
            ).toString('utf8')
          : // Written before ADR 0026: still in clear until the hub re-seals it.
            (r.detention_pseudonym as string),
      );
    const disclosures: AccessRequestDisclosure[] = rows.map((r, i) => ({
      detentionId: detentionIds[i],
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
