import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The transactional outbox: one row per recipient per event, written in the same transaction that
 * stores the event; the relay publishes it and stamps `published_at`.
 */
@Entity('delivery')
export class DeliveryEntity {
  /** Stable per (recipient, source, event id): the CloudEvent id the recipient de-duplicates on. */
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'inbound_event_id' }) inboundEventId: string;
  @Column('text', { name: 'recipient_id' }) recipientId: string;
  @Column('text', { name: 'recipient_kind' }) recipientKind: string;
  @Column('text', { name: 'tenant_id' }) tenantId: string;
  @Index() @Column('text', { name: 'detention_id' }) detentionId: string;
  @Column('jsonb') channel: Record<string, unknown>;
  @Column('text') exchange: string;
  @Column('text', { name: 'routing_key' }) routingKey: string;
  /** The envelope only (id, source, type, time); the message itself is in `messageSealed`. */
  @Column('jsonb') message: Record<string, unknown>;
  /** The filtered message, encrypted (DataCipherPort); null once erased. */
  @Column('bytea', { name: 'message_sealed', nullable: true }) messageSealed: Buffer | null;
  @Column('text', { name: 'key_id', nullable: true }) keyId: string | null;
  @Column('text', { name: 'disclosed_paths', array: true }) disclosedPaths: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  @Column('int', { name: 'publish_attempts', default: 0 }) publishAttempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
}
