/**
 * Idle cost alone, without the rest of `npm run bench` (ADR 0027): starts hub and ops as child
 * processes the way bench/hub/apps.ts does, waits until the hub is ready, then counts their CPU
 * (utime + stime from /proc) and the database's commits over an idle window. Publishes nothing, so
 * it can run next to other work on the shared services; give it its own database and vhost.
 *
 *   DATABASE_URL=postgres://nazorg:nazorg@localhost:5432/nazorg_bench_cost \
 *   AMQP_URL=amqp://guest:guest@localhost:5672/nazorg-bench-cost node dist/bench/idle-cost.js
 *
 * BENCH_IDLE_SECONDS (60), BENCH_IDLE_ROUNDS (1): windows measured one after the other.
 */
import { Channels } from '@nazorg/contracts';
import { Client } from 'pg';
import { benchKafka } from './baselines/kafka.baseline';
import { cpuTicks, peakRssMb, RunningApp, startApp, stopApp, TICKS_PER_SECOND } from './hub/apps';
import { knob, log, round, sleep, until } from './support';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const amqpUrl = process.env.AMQP_URL ?? '';
  // The shared test database and vhost belong to the test suite: never idle-measure in them.
  if (!databaseUrl || !amqpUrl || /nazorg_test|nazorg-test/.test(databaseUrl + amqpUrl))
    throw new Error('set DATABASE_URL and AMQP_URL to a database and vhost of their own');
  const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
  const appUrl = new URL(amqpUrl);
  appUrl.username = '';
  appUrl.password = '';

  // A new group starts at the topic's end, as in the bench (older records stay unread).
  const groupId = `nazorg-idle-${Date.now()}`;
  const admin = benchKafka(brokers, 'nazorg-bench-idle').admin();
  await admin.connect();
  const high = await admin.fetchTopicOffsets(Channels.KAFKA_INGRESS_TOPIC);
  await admin.setOffsets({
    groupId,
    topic: Channels.KAFKA_INGRESS_TOPIC,
    partitions: high.map((o) => ({ partition: o.partition, offset: o.high })),
  });
  await admin.disconnect();

  const env = {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATABASE_URL: databaseUrl,
    AMQP_URL: appUrl.toString(),
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_GROUP_ID: groupId,
    TENANTS_FILE: process.env.TENANTS_FILE ?? 'config/tenants.demo.yaml',
  };
  const apps: RunningApp[] = [await startApp('hub', env, 'HUB_HTTP_PORT')];
  apps.push(await startApp('ops', env, 'OPS_HTTP_PORT'));
  await until(
    'the hub to be ready',
    async () => (await fetch(`${apps[0].url}/health/ready`).catch(() => undefined))?.ok === true,
    120_000,
  );
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const commits = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          `select xact_commit + xact_rollback n from pg_stat_database where datname = current_database()`,
        )
      ).rows[0].n,
    );
  // Start-up work (migrations, unpark, first leader terms) is not idle.
  await sleep(knob('BENCH_IDLE_SETTLE_MS', 10_000, 5_000));
  const seconds = knob('BENCH_IDLE_SECONDS', 60, 15);
  for (let round_ = 0; round_ < knob('BENCH_IDLE_ROUNDS', 1, 1); round_++) {
    const ticks0 = apps.map((a) => cpuTicks(a.process.pid!));
    // pg_stat_database is refreshed by the backends about every 500 ms: a little noise either way.
    const c0 = await commits();
    await sleep(seconds * 1000);
    const c1 = await commits();
    const perApp = apps.map((a, i) => {
      const used = cpuTicks(a.process.pid!) - ticks0[i];
      return { app: a.name, percent: round((100 * used) / TICKS_PER_SECOND / seconds, 2), used };
    });
    const total = round((100 * perApp.reduce((s, a) => s + a.used, 0)) / TICKS_PER_SECOND / seconds, 2);
    log(
      `idle ${seconds} s: all apps ${total}% of one core (${perApp.map((a) => `${a.app} ${a.percent}%`).join(', ')}); ` +
        `${round((c1 - c0 - 1) / seconds, 2)} transactions/s in the database; ` +
        `peak RSS ${apps.map((a) => `${a.name} ${peakRssMb(a.process.pid!)} MB`).join(', ')}`,
    );
  }
  await db.end();
  for (const a of apps.reverse()) await stopApp(a);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
