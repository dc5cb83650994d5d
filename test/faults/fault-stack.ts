import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { HUB_TABLES } from '../support/hub.harness';
import { eventually } from '../support/eventually';

const run = promisify(execFile);
export const REPO = join(__dirname, '..', '..');
export const ARTIFACTS = join(REPO, 'test-artifacts', 'faults');

/** Where the suite's services are (scripts/test-faults.sh sets these from the infra scripts' env). */
export const STACK = {
  databaseUrl: process.env.FAULTS_DATABASE_URL ?? 'postgres://nazorg:nazorg@127.0.0.1:5432/nazorg_faults',
  amqpUrl: process.env.FAULTS_AMQP_URL ?? 'amqp://127.0.0.1:5672/nazorg-faults',
  amqpToolUrl: process.env.FAULTS_AMQP_TOOL_URL ?? 'amqp://guest:guest@127.0.0.1:5672/nazorg-faults',
  kafkaBrokers: process.env.FAULTS_KAFKA_BROKERS ?? 'localhost:9092',
  vhost: 'nazorg-faults',
  kafkaGroupId: 'nazorg-hub-faults',
  hubPorts: [Number(process.env.FAULTS_HUB_PORT ?? 3700), Number(process.env.FAULTS_HUB_PORT ?? 3700) + 1],
  mocksPort: Number(process.env.FAULTS_MOCKS_PORT ?? 3710),
};

export type AppName =
  'hub' | 'external-mocks' | 'connector-brp' | 'connector-income' | 'connector-schuldhulp' | 'connector-zorg';

/** The environment every app of the suite runs with: the suite's services, its own ports. */
export function appEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const mocks = `http://127.0.0.1:${STACK.mocksPort}`;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NAZORG_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: STACK.databaseUrl,
    AMQP_URL: STACK.amqpUrl,
    KAFKA_BROKERS: STACK.kafkaBrokers,
    KAFKA_GROUP_ID: STACK.kafkaGroupId,
    // The hub's demo login (scripts/test-faults.sh sets it when Kafka runs with SASL, its default).
    ...Object.fromEntries(
      ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']
        .filter((key) => process.env[key])
        .map((key) => [key, process.env[key] as string]),
    ),
    HUB_HTTP_PORT: String(STACK.hubPorts[0]),
    EXTERNAL_MOCKS_PORT: String(STACK.mocksPort),
    BRP_API_URL: `${mocks}/haalcentraal/api/brp`,
    SUWINET_API_URL: `${mocks}/suwinet`,
    SCHULDHULP_API_URL: `${mocks}/schuldhulp`,
    ZORG_API_URL: `${mocks}/zorg`,
    CONNECTOR_BRP_METRICS_PORT: '0',
    CONNECTOR_INCOME_METRICS_PORT: '0',
    CONNECTOR_SCHULDHULP_METRICS_PORT: '0',
    CONNECTOR_ZORG_METRICS_PORT: '0',
    FEED_METRICS_PORT: '0',
    ...extra,
  };
}

/** One app as the operator runs it: `node dist/apps/<app>/src/main.js`, its output in a log file. */
export class AppProcess {
  private static counter = 0;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly startedAt = Date.now();

  constructor(
    readonly app: AppName,
    readonly env: Record<string, string> = {},
    readonly label: string = app,
  ) {
    mkdirSync(join(ARTIFACTS, 'logs'), { recursive: true });
    const log = openSync(join(ARTIFACTS, 'logs', `${label}.log`), 'a');
    AppProcess.counter++;
    this.child = spawn('node', [join(REPO, 'dist', 'apps', app, 'src', 'main.js')], {
      cwd: REPO,
      env: appEnv(env),
      stdio: ['ignore', log, log],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A real SIGKILL: no shutdown hook runs. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, and SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The hub's HTTP port listens and /health answers. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      }
    },
    timeoutMs,
    `${url} to answer`,
    100,
  );
}

/**
 * The infrastructure scripts, with the suite's environment (data directory, ports, node name):
 * scripts/test-faults.sh has checked that every service was started from that data directory.
 */
export async function infra(
  service: 'postgres' | 'rabbitmq' | 'kafka',
  action: 'up' | 'down',
): Promise<void> {
  await run('bash', [join(REPO, 'scripts', 'infra', `${service}.sh`), action], {
    cwd: REPO,
    env: process.env,
    timeout: 180_000,
  });
}

/** rabbitmqctl on the suite's node (list_queues, ...). */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const dataDir = process.env.FAULTS_DATA_DIR ?? join(REPO, '.data');
  const { stdout } = await run('/usr/lib/rabbitmq/bin/rabbitmqctl', ['-q', ...args], {
    env: {
      ...process.env,
      HOME: process.env.NAZORG_RABBITMQ_HOME ?? join(dataDir, 'rabbitmq'),
      RABBITMQ_NODENAME: process.env.RABBITMQ_NODENAME ?? 'nazorg@localhost',
    },
    timeout: 60_000,
  });
  return stdout;
}

/** Messages ready + unacknowledged per queue of the suite's vhost. */
export async function queueDepths(): Promise<Map<string, { ready: number; unacked: number }>> {
  const out = await rabbitmqctl(
    'list_queues',
    '-p',
    STACK.vhost,
    '--no-table-headers',
    'name',
    'messages_ready',
    'messages_unacknowledged',
  );
  const depths = new Map<string, { ready: number; unacked: number }>();
  for (const line of out.split('\n')) {
    const [name, ready, unacked] = line.trim().split(/\s+/);
    if (name && ready !== undefined) depths.set(name, { ready: Number(ready), unacked: Number(unacked) });
  }
  return depths;
}

/** A short-lived query on the suite's database. */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: STACK.databaseUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Empties the hub's tables (the hub is not running, or its workers would deadlock on it). */
export async function emptyDatabase(): Promise<void> {
  // Only those the schema has yet (an older schema migrates at start).
  const present = await sql<{ t: string }>(
    `select t from unnest($1::text[]) t where to_regclass('public.' || t) is not null`,
    [HUB_TABLES],
  );
  if (present.length) await sql(`truncate ${present.map((r) => r.t).join(', ')} cascade`);
}
