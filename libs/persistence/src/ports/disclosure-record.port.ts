export const DISCLOSURE_RECORDS = Symbol('DISCLOSURE_RECORDS');

/** One disclosure of personal data to a recipient (Logboek Dataverwerkingen shaped). */
export interface DisclosureRecord {
  deliveryId: string;
  traceId: string;
  spanId: string;
  recipientId: string;
  recipientKind: string;
  tenantId: string;
  detentionId: string;
  eventType: string;
  fieldPaths: string[];
  processingActivity: string;
  legalGround: string;
  privacyProfileVersion: string | null;
}

export interface DisclosureRecordPort {
  /** Appends them, stamped now (in the caller's unit of work, if any). */
  append(records: readonly DisclosureRecord[]): Promise<void>;
}
