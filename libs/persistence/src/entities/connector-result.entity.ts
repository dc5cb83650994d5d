import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A connector's report about a detention, stored with the case; de-duplicated on (source, id). */
@Entity('connector_result')
@Unique(['source', 'eventId'])
export class ConnectorResultEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') source: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text') type: string;
  @Index() @Column('text', { name: 'detention_id' }) detentionId: string;
  @Column('text', { name: 'recipient_id' }) recipientId: string;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text') outcome: string;
  /** The envelope only (id, source, type, time); the result event is in `eventSealed`. */
  @Column('jsonb') event: Record<string, unknown>;
  @Column('bytea', { name: 'event_sealed', nullable: true }) eventSealed: Buffer | null;
  @Column('text', { name: 'key_id', nullable: true }) keyId: string | null;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}
