/**
 * `npm run bench`: the hub's throughput and end-to-end latency on the real services.
 * Publishes N detention.started events to Kafka as fast as it can, then measures, from the
 * database: ingest throughput, and per delivery the time from the feed event's `time` to the
 * broker's confirm (`delivery.published_at`). Runs in the test database and virtual host.
 */
import { randomUUID } from 'node:crypto';
import { Channels } from '@nazorg/contracts';
import { AmqpConnection, EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { TenantDirectory } from '@nazorg/routing';
import { DataSource } from 'typeorm';

process.env.NAZORG_ENV = 'test';
process.env.LOG_LEVEL = 'warn';
process.env.DATABASE_URL ??= 'postgres://nazorg:nazorg@localhost:5432/nazorg_test';
process.env.AMQP_URL ??= 'amqp://localhost:5672/nazorg-test';
process.env.KAFKA_GROUP_ID = `nazorg-bench-${Date.now()}`;

const N = Number(process.env.BENCH_EVENTS ?? 2000);

async function main(): Promise<void> {
  // Imported after the environment is set: configuration is read at import.
  const { bootstrapHub } = await import('../../apps/hub/src/hub.bootstrap');
  const app = await bootstrapHub({
    port: 0,
    beforeKafkaSubscribe: (log) =>
      log.resetGroupToLatest(process.env.KAFKA_GROUP_ID as string, Channels.KAFKA_INGRESS_TOPIC),
  });
  const db = app.get(DataSource);
  await db.query(
    `truncate inbound_event, detention, delivery, disclosure_record, dead_letter, connector_result,
              aftercare_case, case_alert, case_refresh cascade`,
  );
  const eventLog = app.get<EventLogPort>(EVENT_LOG);
  const perEvent = app.get(TenantDirectory).tenantFor('0307')!.recipients.length + 1; // + ops

  const run = randomUUID().slice(0, 8).toUpperCase();
  const events = Array.from({ length: N }, (_, i) => {
    const detentionId = `DJI-BENCH-${run}-${i}`;
    return {
      specversion: '1.0',
      id: randomUUID(),
      source: 'urn:nl:dji:injus',
      type: 'nl.dji.injus.detention.started.v1',
      time: new Date().toISOString(),
      subject: detentionId,
      datacontenttype: 'application/json',
      data: {
        detentionId,
        person: {
          bsn: '999990019',
          givenNames: 'Bench',
          familyName: 'Mark',
          birthDate: '1990-01-01',
          gender: 'M',
        },
        institution: { code: 'PI-NWG', name: 'PI Nieuwegein' },
        startedAt: new Date().toISOString(),
        legalStatus: 'veroordeeld',
        municipalityOfOrigin: '0307',
        caseManager: { name: 'CM' },
        flags: { topX: false, pga: false, bij: false },
      },
    };
  });

  const t0 = Date.now();
  for (let i = 0; i < N; i += 200) {
    const batch = events.slice(i, i + 200).map((e) => ({ ...e, time: new Date().toISOString() }));
    await eventLog.publish(
      Channels.KAFKA_INGRESS_TOPIC,
      batch.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );
  }
  const published = Date.now();
  for (;;) {
    const [{ count }] = await db.query(`select count(*) from delivery where published_at is not null`);
    if (Number(count) >= N * perEvent) break;
    if (Date.now() - t0 > 300_000) throw new Error(`timed out at ${count} deliveries`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = Date.now();
  // The case projection runs beside ingest (case_refresh, ADR 0009): how far behind it is.
  await untilCasesProjected(db);
  const projected = Date.now();
  const [stats] = await db.query(
    `select percentile_cont(array[0.5, 0.95, 0.99]) within group (order by ms) p, max(ms) max_ms
     from (select extract(epoch from (d.published_at - (e.event->>'time')::timestamptz)) * 1000 ms
           from delivery d join inbound_event e on e.id = d.inbound_event_id) x`,
  );
  const [{ stored_s }] = await db.query(
    `select extract(epoch from max(received_at) - min(received_at)) stored_s from inbound_event`,
  );
  const [p50, p95, p99] = (stats.p as number[]).map((v) => Math.round(v));
  console.log(`events: ${N}, deliveries: ${N * perEvent}`);
  console.log(`publish to Kafka: ${published - t0} ms`);
  console.log(
    `ingest: ${Math.round(N / Math.max(Number(stored_s), 0.001))} events/s (stored, routed, outbox written)`,
  );
  console.log(
    `all deliveries confirmed by RabbitMQ after ${done - t0} ms: ${Math.round((N * perEvent * 1000) / (done - t0))} deliveries/s`,
  );
  console.log(
    `end-to-end latency, feed event time → delivery confirmed: p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, max ${Math.round(stats.max_ms)} ms`,
  );

  console.log(`all ${N} cases projected after ${projected - t0} ms`);

  // Steady load: per-event latency when the hub is not queueing a burst.
  const steady = 300;
  const rate = 50;
  const marker = new Date();
  for (let i = 0; i < steady; i++) {
    const e = {
      ...events[i],
      id: randomUUID(),
      subject: `${events[i].subject}-S`,
      time: new Date().toISOString(),
    };
    e.data = { ...e.data, detentionId: e.subject };
    await eventLog.publish(Channels.KAFKA_INGRESS_TOPIC, [{ key: e.subject, value: JSON.stringify(e) }]);
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  for (;;) {
    const [{ count }] = await db.query(
      `select count(*) from delivery where published_at is not null and created_at >= $1`,
      [marker],
    );
    if (Number(count) >= steady * perEvent) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const steadyDone = Date.now();
  await untilCasesProjected(db);
  const steadyCaseLag = Date.now() - steadyDone;
  const [steadyStats] = await db.query(
    `select percentile_cont(array[0.5, 0.95, 0.99]) within group (order by ms) p
     from (select extract(epoch from (d.published_at - (e.event->>'time')::timestamptz)) * 1000 ms
           from delivery d join inbound_event e on e.id = d.inbound_event_id where d.created_at >= $1) x`,
    [marker],
  );
  const [s50, s95, s99] = (steadyStats.p as number[]).map((v) => Math.round(v));
  console.log(
    `steady ${rate} events/s (${steady} events): latency p50 ${s50} ms, p95 ${s95} ms, p99 ${s99} ms; cases projected ${steadyCaseLag} ms after the last delivery`,
  );

  // Leave the test virtual host's recipient queues empty.
  const channel = await (await app.get(AmqpConnection).currentModel()).createChannel();
  for (const r of app.get(TenantDirectory).allRecipients())
    await channel.purgeQueue(Channels.recipientQueue(r.id));
  await channel.close();
  await app.close();
}

async function untilCasesProjected(db: DataSource): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [{ count }] = await db.query(`select count(*) from case_refresh`);
    if (Number(count) === 0) return;
    if (Date.now() - started > 300_000) throw new Error(`timed out with ${count} cases to project`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
