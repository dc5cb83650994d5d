import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What routing needs to know about a detention; the full case state comes with the aftercare logic. */
@Entity('detention')
export class DetentionEntity {
  @PrimaryColumn('text', { name: 'detention_id' }) detentionId: string;
  /** False until its detention.started arrived (events may come out of order). */
  @Column('boolean', { name: 'origin_known' }) originKnown: boolean;
  @Column('text', { name: 'municipality_of_origin', nullable: true }) municipalityOfOrigin: string | null;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  /** Set when its notification.withdrawn arrives; erasure follows once the withdrawal is delivered. */
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true }) withdrawnAt: Date | null;
  /** Set when its personal data was erased; `detention_id` is then the keyed hash. */
  @Column('timestamptz', { name: 'erased_at', nullable: true }) erasedAt: Date | null;
  /** On an erased trace: a new notification for the same detention id began after it (ADR 0014). */
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt: Date | null;
  /** On a renotified detention: events sent up to this time (the withdrawal) are the old one's. */
  @Column('timestamptz', { name: 'stale_before', nullable: true }) staleBefore: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
