/**
 * `npm run bench` (scripts/bench.sh): baselines, then the hub, in one run on this machine; writes
 * bench/results/<timestamp>.json and .md, and bench/results/latest.md. BENCH_QUICK=1 for a short run.
 * See README "Benchmark" and docs/adr/0021-bench-baselines-r-hub.md for what is measured and how.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBarePipelineBaseline } from './baselines/bare-pipeline.baseline';
import { runFsyncBaseline } from './baselines/fsync.baseline';
import { runKafkaBaseline } from './baselines/kafka.baseline';
import { runPostgresBaseline } from './baselines/postgres.baseline';
import { runRabbitmqBaseline } from './baselines/rabbitmq.baseline';
import { runHubBench } from './hub/hub.bench';
import { describeMachine } from './machine';
import { renderMarkdown } from './report';
import { knob, log, QUICK, sampleScreeningEvent } from './support';

async function main(): Promise<void> {
  const started = new Date();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://nazorg:nazorg@localhost:5432/nazorg_test';
  const amqpToolUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672/nazorg-test';
  const appUrl = new URL(amqpToolUrl);
  appUrl.username = '';
  appUrl.password = '';
  const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
  const dataDir = process.env.NAZORG_DATA_DIR ?? '.data';
  mkdirSync(dataDir, { recursive: true });

  const machine = await describeMachine(databaseUrl, amqpToolUrl);
  const sample = sampleScreeningEvent();
  log(
    `machine: ${machine.cores} cores, ${machine.memoryMb} MB; sample event ${Buffer.byteLength(sample)} bytes`,
  );

  log('baseline: pg_test_fsync');
  const fsync = runFsyncBaseline(dataDir, 1);
  log('baseline: Kafka');
  const kafka = await runKafkaBaseline(brokers, sample, knob('BENCH_KAFKA_MESSAGES', 20_000, 3000));
  log('baseline: RabbitMQ');
  const rabbitmq = await runRabbitmqBaseline(
    amqpToolUrl,
    sample,
    knob('BENCH_RABBITMQ_MESSAGES', 12_000, 1800),
  );
  log('baseline: PostgreSQL');
  const postgres = await runPostgresBaseline(
    databaseUrl,
    sample,
    knob('BENCH_PG_SINGLE_EVENTS', 1000, 200),
    knob('BENCH_PG_BATCHED_EVENTS', 10_000, 2000),
    100,
  );
  log('baseline: bare Node pipeline (R_bare)');
  const bare = await runBarePipelineBaseline(
    brokers,
    databaseUrl,
    amqpToolUrl,
    sample,
    knob('BENCH_BARE_EVENTS', 4000, 800),
  );
  log(`R_bare ${bare.eventsPerSecond} events/s`);

  const baselines = { sampleEventBytes: Buffer.byteLength(sample), fsync, kafka, rabbitmq, postgres, bare };
  const results = {
    startedAt: started.toISOString(),
    quick: QUICK,
    machine,
    baselines,
    hub: undefined as unknown,
    ratios: undefined as unknown,
    finishedAt: undefined as string | undefined,
  };
  const dir = join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19) + 'Z';
  let hub: Awaited<ReturnType<typeof runHubBench>>;
  try {
    hub = await runHubBench(
      {
        databaseUrl,
        amqpToolUrl,
        amqpAppUrl: appUrl.toString(),
        brokers,
        tenantsFile: process.env.TENANTS_FILE ?? 'config/tenants.demo.yaml',
      },
      (partial) => (results.hub = partial),
    );
  } catch (error) {
    // What was measured is kept: the JSON of a failed run says where it stopped.
    const failed = { ...results, error: error instanceof Error ? error.message : String(error) };
    writeFileSync(join(dir, `${stamp}.failed.json`), JSON.stringify(failed, null, 2) + '\n');
    throw error;
  }
  results.hub = hub;
  results.ratios = {
    /** E = R_hub / R_bare (ADR 0021). */
    efficiencyE: ratio(hub.rHub, bare.eventsPerSecond),
    burstEventsToBare: ratio(hub.burst.eventsPerSecond, bare.eventsPerSecond),
    burstDeliveriesToBare: ratio(hub.burst.deliveriesPerSecond, bare.deliveriesPerSecond),
    burstDeliveriesToRabbitSixQueues: ratio(
      hub.burst.deliveriesPerSecond,
      rabbitmq.sixQueues.consumedPerSecond,
    ),
    burstEventsToPostgresBatched: ratio(hub.burst.eventsPerSecond, postgres.batched.eventsPerSecond),
    burstEventsToPostgresOneAtATime: ratio(hub.burst.eventsPerSecond, postgres.oneAtATime.eventsPerSecond),
    burstEventsToKafka: ratio(hub.burst.eventsPerSecond, kafka.endToEndMsgPerSecond),
  };
  results.finishedAt = new Date().toISOString();

  const markdown = renderMarkdown(results as Parameters<typeof renderMarkdown>[0]);
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(dir, `${stamp}.md`), markdown);
  writeFileSync(join(dir, 'latest.md'), markdown);
  process.stdout.write(markdown);
  log(`written ${join(dir, stamp)}.{json,md} and ${join(dir, 'latest.md')}`);
}

function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 100) / 100 : 0;
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
