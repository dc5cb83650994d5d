import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Every valid feed event, once per (source, id): the inbox that de-duplicates. */
@Entity('inbound_event')
@Unique(['source', 'eventId'])
export class InboundEventEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') source: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text') type: string;
  @Index() @Column('text', { name: 'detention_id' }) detentionId: string;
  /** kafka | rabbitmq | http | replay */
  @Column('text') channel: string;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  /** The envelope only (id, source, type, time); the whole event is in `eventSealed`. */
  @Column('jsonb') event: Record<string, unknown>;
  /** The event, encrypted (DataCipherPort); null once erased. */
  @Column('bytea', { name: 'event_sealed', nullable: true }) eventSealed: Buffer | null;
  @Column('text', { name: 'key_id', nullable: true }) keyId: string | null;
  /** routed | unrouted (no tenant) | awaiting-origin (arrived before its detention.started) */
  @Column('text', { name: 'routing_status' }) routingStatus: string;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId: string | null;
}
