import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure gives a detention's deliveries new, keyed ids (ADR 0024): a delivery id is a name-based
 * UUID of the feed's event id, so whoever holds DJI's event ids could find the rows again. The
 * disclosure records follow their delivery's new id in the same statement.
 */
export class ErasureRekeysDeliveries1764125000000 implements MigrationInterface {
  name = 'ErasureRekeysDeliveries1764125000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table disclosure_record drop constraint disclosure_record_delivery_id_fkey,
         add constraint disclosure_record_delivery_id_fkey foreign key (delivery_id) references delivery (id)
           on update cascade`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table disclosure_record drop constraint disclosure_record_delivery_id_fkey,
         add constraint disclosure_record_delivery_id_fkey foreign key (delivery_id) references delivery (id)`,
    );
  }
}
