import { NestFactory } from '@nestjs/core';
import { MIGRATIONS } from '@nazorg/persistence';
import { Client } from 'pg';

/**
 * The chart's migration Job (`node dist/apps/hub/src/migrate.js`, MigrateModule) on an empty
 * database, as on a first `helm install`: it needs PostgreSQL only (no broker), applies every
 * migration and ends; a second run finds nothing to do.
 */
const base = new URL(process.env.DATABASE_URL!);
const database = `nazorg_migrate_job_${process.pid}`;

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(base);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`create database ${database}`));
});

afterAll(async () => {
  await admin((c) => c.query(`drop database if exists ${database} with (force)`));
});

it('applies every migration to an empty database without any broker, and again finds nothing to do', async () => {
  const url = new URL(base);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  // No broker reachable: the Job must not need one.
  process.env.AMQP_URL = 'amqp://127.0.0.1:1';
  process.env.KAFKA_BROKERS = '127.0.0.1:1';
  const { MigrateModule } = await import('../../apps/hub/src/migrate.module');
  for (let run = 0; run < 2; run++) {
    const app = await NestFactory.createApplicationContext(MigrateModule, { logger: false });
    await app.close();
  }
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('select name from migrations order by id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name ?? m.name));
    const { rows: tables } = await client.query<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_schema = 'public'",
    );
    expect(Number(tables[0].n)).toBeGreaterThan(5);
  } finally {
    await client.end();
  }
});
