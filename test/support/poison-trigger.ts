import { DataSource } from 'typeorm';

/**
 * Makes PostgreSQL refuse every insert into `table` whose `event_id` starts with `poison-`, as it
 * would refuse a value it cannot hold: a genuine content failure for the hub, every time. Returns
 * the function that removes it again.
 */
export async function refusePoisonInserts(
  db: DataSource,
  table = 'inbound_event',
): Promise<() => Promise<void>> {
  await db.query(`
    create or replace function test_refuse_poison() returns trigger language plpgsql as $$
    begin
      if new.event_id like 'poison-%' then raise exception 'refused by the test'; end if;
      return new;
    end $$`);
  await db.query(`drop trigger if exists test_refuse_poison on ${table}`);
  await db.query(
    `create trigger test_refuse_poison before insert on ${table} for each row execute function test_refuse_poison()`,
  );
  return async () => {
    await db.query(`drop trigger if exists test_refuse_poison on ${table}`);
  };
}
