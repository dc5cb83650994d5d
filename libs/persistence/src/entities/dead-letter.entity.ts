import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A rejected input, kept whole with its reasons so operations can see it and replay it. */
@Entity('dead_letter')
export class DeadLetterEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') channel: string;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  /** Violations: `{ path, message }[]`; messages never contain field values. */
  @Column('jsonb') violations: { path: string; message: string }[];
  /** The rejected bytes, encrypted (DataCipherPort). */
  @Column('bytea', { nullable: true }) payload: Buffer | null;
  @Column('text', { name: 'key_id', nullable: true }) keyId: string | null;
  @Column('int', { name: 'payload_bytes' }) payloadBytes: number;
  @Column('text', { nullable: true }) source: string | null;
  @Column('text', { name: 'event_id', nullable: true }) eventId: string | null;
  @Column('text', { nullable: true }) type: string | null;
  /** open | replayed (accepted on replay) */
  @Column('text') status: string;
  @Column('timestamptz', { name: 'replayed_at', nullable: true }) replayedAt: Date | null;
}
