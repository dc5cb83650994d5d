/** The machine a run was measured on: what the results mean nothing without. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, loadavg } from 'node:os';
import { readdirSync } from 'node:fs';
import { connect } from 'amqplib';
import { Client } from 'pg';

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  kernel: string;
  node: string;
  postgresql: string;
  postgresqlDurability: Record<string, string>;
  rabbitmq: string;
  kafka: string;
  /** 1-minute load average at the start: other work on the machine makes every number noisier. */
  loadAverageAtStart: number;
}

export async function describeMachine(databaseUrl: string, amqpUrl: string): Promise<MachineDescription> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const setting = async (name: string) => (await db.query(`select current_setting($1) v`, [name])).rows[0].v;
  const durability: Record<string, string> = {};
  for (const name of ['fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes'])
    durability[name] = await setting(name);
  const postgresql = await setting('server_version');
  await db.end();
  const model = await connect(amqpUrl);
  const rabbitmq = String(model.connection.serverProperties.version ?? 'unknown');
  await model.close();
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
    node: process.version,
    postgresql,
    postgresqlDurability: durability,
    rabbitmq,
    kafka: kafkaVersion(),
    loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** scripts/infra/kafka.sh keeps the broker's jars in <data dir>/kafka/libs-<version>. */
function kafkaVersion(): string {
  if (process.env.NAZORG_KAFKA_VERSION) return process.env.NAZORG_KAFKA_VERSION;
  try {
    const dir = `${process.env.NAZORG_DATA_DIR ?? '.data'}/kafka`;
    const libs = readdirSync(dir).find((f) => f.startsWith('libs-'));
    if (libs) return libs.slice('libs-'.length);
  } catch {
    // fall through
  }
  return '3.9.1 (scripts/infra/kafka.sh default)';
}
