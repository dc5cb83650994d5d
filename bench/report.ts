/** The markdown of a run: one table of rates side by side, then latency, cost and fault counts. */
import type { BarePipelineBaseline } from './baselines/bare-pipeline.baseline';
import type { FsyncBaseline } from './baselines/fsync.baseline';
import type { KafkaBaseline } from './baselines/kafka.baseline';
import type { PostgresBaseline } from './baselines/postgres.baseline';
import type { RabbitmqBaseline } from './baselines/rabbitmq.baseline';
import type { HubBenchResult, LoadResult } from './hub/hub.bench';
import type { MachineDescription } from './machine';

export interface RunResults {
  startedAt: string;
  finishedAt?: string;
  quick: boolean;
  machine: MachineDescription;
  baselines: {
    sampleEventBytes: number;
    fsync: FsyncBaseline | { skipped: string };
    kafka: KafkaBaseline;
    rabbitmq: RabbitmqBaseline;
    postgres: PostgresBaseline;
    bare: BarePipelineBaseline;
  };
  hub: HubBenchResult;
  ratios: Record<string, number>;
}

const n = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : 'n/a');

function loadRow(l: LoadResult, label?: string): string {
  const p = l.latencyMs;
  return `| ${label ?? n(l.offeredEventsPerSecond)} | ${n(l.events)} in ${n(l.durationMs / 1000)} s | ${n(p.p50)} | ${n(p.p95)} | ${n(p.p99)} | ${n(p.max)} | ${l.deliveredShareAt1s} | ${n(l.maxLagSecondHalf)} | ${l.sustained ? 'yes' : 'no'} |`;
}

export function renderMarkdown(r: RunResults): string {
  const m = r.machine;
  const b = r.baselines;
  const h = r.hub;
  const fsync =
    'skipped' in b.fsync
      ? `skipped (${b.fsync.skipped})`
      : Object.entries(b.fsync.opsPerSecond)
          .map(([k, v]) => `${k} ${n(Math.round(v))}/s`)
          .join(', ');
  const lines = [
    `# Nazorg Hub bench, ${r.startedAt}${r.quick ? ' (BENCH_QUICK=1: small counts, short windows)' : ''}`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${n(m.memoryMb)} MB, Linux ${m.kernel}; Node ${m.node}, ` +
      `PostgreSQL ${m.postgresql} (${Object.entries(m.postgresqlDurability)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ', ',
        )}), RabbitMQ ${m.rabbitmq} (quorum queues, confirms, persistent), Kafka ${m.kafka} (acks=all). ` +
      `Load average at the start: ${m.loadAverageAtStart} (other work on the machine makes every number noisy).`,
    '',
    `Message: a simulator screening event, ${n(b.sampleEventBytes)} bytes. fsync (pg_test_fsync, one 8 kB write): ${fsync}.`,
    '',
    '| run | events/s | deliveries/s | hub burst ÷ this |',
    '|---|---|---|---|',
    `| raw Kafka, produce → consume (kafkajs, acks=all; ${n(b.kafka.messages)} msgs; produce alone ${n(b.kafka.produceMsgPerSecond)}/s) | ${n(b.kafka.endToEndMsgPerSecond)} | | ${r.ratios.burstEventsToKafka} |`,
    `| raw RabbitMQ, confirmed publish → 1 quorum queue → manual-ack consume (${n(b.rabbitmq.oneQueue.published)} msgs, confirm window ${b.rabbitmq.confirmWindow}; publish ${n(b.rabbitmq.oneQueue.publishedPerSecond)}/s) | | ${n(b.rabbitmq.oneQueue.consumedPerSecond)} | |`,
    `| raw RabbitMQ, confirmed publish → 6 quorum queues → manual-ack consume (${n(b.rabbitmq.sixQueues.published)} publishes) | | ${n(b.rabbitmq.sixQueues.consumedPerSecond)} | ${r.ratios.burstDeliveriesToRabbitSixQueues} |`,
    `| raw PostgreSQL, hub's transaction shape, one event per transaction (${n(b.postgres.oneAtATime.events)}) | ${n(b.postgres.oneAtATime.eventsPerSecond)} | ${n(b.postgres.oneAtATime.rowsPerSecond)} rows | ${r.ratios.burstEventsToPostgresOneAtATime} |`,
    `| raw PostgreSQL, same, ${b.postgres.batched.eventsPerTransaction} events per transaction (${n(b.postgres.batched.events)}) | ${n(b.postgres.batched.eventsPerSecond)} | ${n(b.postgres.batched.rowsPerSecond)} rows | ${r.ratios.burstEventsToPostgresBatched} |`,
    `| **R_bare**: bare Node pipeline (Kafka batch → 1 PG transaction → 6 confirmed publishes/event → mark sent → commit; one batch in flight; ${n(b.bare.events)} events, mean batch ${b.bare.meanBatchSize}) | **${n(b.bare.eventsPerSecond)}** | ${n(b.bare.deliveriesPerSecond)} | ${r.ratios.burstEventsToBare} |`,
    `| hub${(h.hubProcesses ?? 1) > 1 ? ` (${h.hubProcesses} processes)` : ''}, burst: ${n(h.burst.events)} simulator events (${n(h.burst.records)} records with faults) pushed at once, until every delivery consumed and every case projected | ${n(h.burst.eventsPerSecond)} | ${n(h.burst.deliveriesPerSecond)} | 1 |`,
    `| **R_hub**: highest sustained offered rate (delivered within 1%, lag flat, p99 < 1 s) | **${n(h.rHub)}** | | |`,
    '',
    `**E = R_hub / R_bare = ${r.ratios.efficiencyE}** (burst events/s over R_bare: ${r.ratios.burstEventsToBare}).`,
    '',
    `Burst latency, feed publish → recipient receipt (ms): p50 ${n(h.burst.latencyMs.p50)}, p95 ${n(h.burst.latencyMs.p95)}, p99 ${n(h.burst.latencyMs.p99)}, max ${n(h.burst.latencyMs.max)}; cases projected ${n(h.burst.casesProjectedAfterMs)} ms after the last delivery.`,
    '',
    `CPU during the burst, cores of ${r.machine.cores}: ${Object.entries(h.burst.cpuCoresByService ?? {})
      .map(([service, cores]) => `${service} ${cores}`)
      .join(', ')}; the hub was preempted ${n(h.burst.hubPreemptionsPerSecond ?? 0)} times a second.`,
    '',
    '| offered events/s | offered | p50 ms | p95 ms | p99 ms | max ms | delivered by +1 s | max lag (2nd half) | sustained |',
    '|---|---|---|---|---|---|---|---|---|',
    ...h.loads.map((l, i) =>
      loadRow(l, i === h.loads.length - 1 ? `${n(l.offeredEventsPerSecond)} (80% of burst)` : undefined),
    ),
    ...h.rHubSearch.map((l) => loadRow(l, `${n(l.offeredEventsPerSecond)} (R_hub search)`)),
    '',
    `Onboarding replay: ${n(h.onboarding.events)} stored events to a newly added recipient: ${n(h.onboarding.totalMs / 1000)} s ` +
      `(backfill rows written in ${n(h.onboarding.backfillWriteMs / 1000)} s, delivered and consumed in ${n(h.onboarding.deliveredMs / 1000)} s, ${n(h.onboarding.deliveriesPerSecond)}/s). Replay feature: ${h.onboarding.feature}.`,
    '',
    `Cost: peak RSS ${Object.entries(h.cost.peakRssMb)
      .map(([k, v]) => `${k} ${v} MB`)
      .join(
        ', ',
      )}; CPU over ${h.cost.idleSeconds} idle seconds, all apps together: ${h.cost.idleCpuPercentOfOneCore}% of one core (${Object.entries(
      h.cost.idleCpuPerApp,
    )
      .map(([k, v]) => `${k} ${v}%`)
      .join(', ')}).`,
    '',
    '| faults injected over the run | count | must be |',
    '|---|---|---|',
    `| records published / distinct valid events | ${n(h.faults.records)} / ${n(h.faults.valid)} | |`,
    `| duplicates injected (same source and id) | ${n(h.faults.duplicates)} | |`,
    `| invalid injected | ${n(h.faults.invalid)} | |`,
    `| lost events (valid, not stored) | ${n(h.faults.lostEvents)} | 0 |`,
    `| lost deliveries (planned, never consumed; of ${n(h.faults.deliveriesChecked)}) | ${n(h.faults.lostDeliveries)} | 0 |`,
    `| doubled deliveries (same message id consumed twice) | ${n(h.faults.doubledDeliveries)} | 0 |`,
    `| unexpected deliveries (consumed, never planned) | ${n(h.faults.unexpectedDeliveries)} | 0 |`,
    `| dead letters | ${n(h.faults.deadLetters)} | ${n(h.faults.invalid)} |`,
    '',
  ];
  return lines.join('\n');
}
