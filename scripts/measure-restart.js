#!/usr/bin/env node
// `node scripts/measure-restart.js [rounds]` (after `npm run build`; scripts/measure-restart.sh
// builds first): starts the built hub as a child process (`node dist/apps/hub/src/main.js`, the
// environment of scripts/start.sh plus DATABASE_URL / AMQP_URL / KAFKA_BROKERS of this shell),
// waits until it is ready, kills it with SIGKILL, starts it again at once, and measures from the kill
// to: the first answer of /health, the first 202 on POST /api/v1/events, /health/ready 200, and a
// record published to Kafka right after the kill being stored (Kafka deliveries resumed). Then a
// SIGTERM round: how long a graceful stop takes, and the same times after it.
// Prints one line per round and a summary; exits 1 if any 202 took longer than 5 s.
'use strict';
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');

const ROOT = path.resolve(__dirname, '..');
const ROUNDS = Number(process.argv[2] ?? 3);
const PORT = Number(process.env.MEASURE_HUB_PORT ?? 3990);
const HUB = `http://127.0.0.1:${PORT}`;
const TOPIC = 'injus.detention-events.v1';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://nazorg:nazorg@localhost:5432/nazorg';
const BROKERS = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
// Each app logs in as its own RabbitMQ user (scripts/infra/rabbitmq.sh): no login in the URL.
const amqp = new URL(process.env.AMQP_URL ?? 'amqp://localhost:5672/%2F');
amqp.username = '';
amqp.password = '';
// A group of its own, kept across the restarts: the killed member lingers in it as in production.
const GROUP = process.env.MEASURE_KAFKA_GROUP_ID ?? `nazorg-hub-measure-${process.pid}`;

const childEnv = {
  ...process.env,
  HUB_HTTP_PORT: String(PORT),
  HUB_METRICS_PORT: '0',
  DATABASE_URL,
  AMQP_URL: amqp.toString(),
  KAFKA_GROUP_ID: GROUP,
  KAFKA_CLIENT_ID: 'nazorg-hub-measure',
  LOG_LEVEL: process.env.MEASURE_LOG_LEVEL ?? 'warn',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startHub() {
  const child = spawn(process.execPath, ['dist/apps/hub/src/main.js'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

function started(detentionId) {
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
        givenNames: 'Piet',
        familyName: 'Vries',
        birthDate: '1991-04-02',
        gender: 'M',
      },
      institution: { code: 'PI-NWG', name: 'PI Nieuwegein' },
      startedAt: new Date(Date.now() - 3600_000).toISOString(),
      legalStatus: 'veroordeeld',
      expectedReleaseDate: '2027-02-14',
      municipalityOfOrigin: '0307',
      caseManager: { name: 'C. Casemanager', phone: '030-1234567', email: 'cm@pi.example' },
      flags: { topX: false, pga: true, bij: false },
    },
  };
}
const detentionId = () => `DJI-M-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`.toUpperCase();

async function status(url, init) {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

const postEvent = () =>
  status(`${HUB}/api/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/cloudevents+json',
      authorization: `Bearer ${process.env.INGEST_TOKEN_INJUS ?? 'demo-injus-token'}`,
    },
    body: JSON.stringify(started(detentionId())),
  });

/** Milliseconds from `since` until `probe` holds (polled every 50 ms), or null after `limitMs`. */
async function until(since, probe, limitMs = 90_000) {
  while (Date.now() - since < limitMs) {
    if (await probe()) return Date.now() - since;
    await sleep(50);
  }
  return null;
}

async function main() {
  const kafka = new Kafka({ clientId: 'nazorg-measure', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const stored = async (eventId) =>
    (await db.query('select 1 from inbound_event where event_id = $1', [eventId])).rowCount > 0;

  // The group starts at the end of the topic: the measurement is about restarts, not history.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] }).catch(() => undefined);
  const ends = await admin.fetchTopicOffsets(TOPIC);
  await admin.setOffsets({
    groupId: GROUP,
    topic: TOPIC,
    partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })),
  });
  await admin.disconnect();

  let hub = startHub();
  const firstReady = await until(Date.now(), async () => (await status(`${HUB}/health/ready`)) === 200);
  if (firstReady === null) throw new Error('the hub never became ready');
  const rows = [];
  for (let round = 1; round <= ROUNDS + 1; round++) {
    const graceful = round === ROUNDS + 1;
    const kill = Date.now();
    hub.kill(graceful ? 'SIGTERM' : 'SIGKILL');
    const exit = await hub.exited;
    const stopMs = Date.now() - kill;
    // A record sent while no hub runs: stored once a restarted hub consumes again.
    const event = started(detentionId());
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: [{ key: event.subject, value: JSON.stringify(event) }],
    });
    hub = startHub();
    const [health, accepted, ready, kafkaResumed] = await Promise.all([
      until(kill, async () => (await status(`${HUB}/health`)) === 200),
      until(kill, async () => (await postEvent()) === 202),
      until(kill, async () => (await status(`${HUB}/health/ready`)) === 200),
      until(kill, () => stored(event.id)),
    ]);
    const row = {
      round: graceful ? 'SIGTERM' : `SIGKILL ${round}`,
      stopMs,
      exit: exit.signal ?? exit.code,
      healthMs: health,
      first202Ms: accepted,
      readyMs: ready,
      kafkaResumedMs: kafkaResumed,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  hub.kill('SIGTERM');
  await hub.exited;
  await producer.disconnect();
  await db.end();
  console.log(
    '\n| stop | exit | stop took (ms) | → /health 200 | → first 202 | → ready 200 | → Kafka record stored |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.round} | ${r.exit} | ${r.stopMs} | ${r.healthMs} | ${r.first202Ms} | ${r.readyMs} | ${r.kafkaResumedMs} |`,
    );
  const slow = rows.filter((r) => r.first202Ms === null || r.first202Ms > 5000);
  process.exit(slow.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
