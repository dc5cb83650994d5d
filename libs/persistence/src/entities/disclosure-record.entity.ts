import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One record per disclosure of personal data to a recipient (who received which fields about which
 * detention, when, for which purpose, on which legal ground), shaped after the Logboek
 * Dataverwerkingen standard.
 */
@Entity('disclosure_record')
export class DisclosureRecordEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId: string;
  @Column('text', { name: 'trace_id' }) traceId: string;
  @Column('text', { name: 'span_id' }) spanId: string;
  @Column('text', { name: 'recipient_id' }) recipientId: string;
  @Column('text', { name: 'recipient_kind' }) recipientKind: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  /** The keyed hash of the detention id (the query key); the id itself is sealed (ADR 0026). */
  @Index() @Column('text', { name: 'detention_pseudonym' }) detentionPseudonym: string;
  @Column('bytea', { name: 'detention_sealed', nullable: true }) detentionSealed: Buffer | null;
  @Column('text', { name: 'key_id', nullable: true }) keyId: string | null;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('text', { name: 'field_paths', array: true }) fieldPaths: string[];
  @Column('text', { name: 'processing_activity' }) processingActivity: string;
  @Column('text', { name: 'legal_ground' }) legalGround: string;
  @Column('timestamptz', { name: 'disclosed_at' }) disclosedAt: Date;
}
