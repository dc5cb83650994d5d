import { INestApplication } from '@nestjs/common';
import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { HubHarness } from '@nazorg/testing';
import { Client } from 'pg';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

/**
 * The hub's probes through terminus (liveness; readiness of PostgreSQL, RabbitMQ and the Kafka
 * consumer) and its OpenAPI document of the ingest API.
 */
describe('hub health (terminus) and ingest OpenAPI document', () => {
  let hub: HubHarness;
  beforeAll(async () => {
    hub = await HubHarness.start();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('is live, and ready once the database, RabbitMQ and its Kafka consumer are up', async () => {
    const live = await fetch(`${hub.url}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });

    const ready = await fetch(`${hub.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { database: true, rabbitmq: true, kafka: true, components: true },
      info: expect.objectContaining({ kafka: { status: 'up', consumers: 1 } }),
      error: {},
      details: expect.objectContaining({ database: { status: 'up' }, rabbitmq: { status: 'up' } }),
    });
    // The readiness check reads the adapter's consumer state: in the group.
    expect(hub.app.get<EventLogPort>(EVENT_LOG).consumerStates()).toEqual([
      { groupId: expect.any(String), connected: true },
    ]);
  });

  it('documents POST /api/v1/events with its credential and problem answers', async () => {
    const response = await fetch(`${hub.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked by path
    const document = (await response.json()) as any;
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.components.securitySchemes['ingest-token']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(Object.keys(document.paths).sort()).toEqual(['/api/v1/events', '/health', '/health/ready']);
    const ingest = document.paths['/api/v1/events'].post;
    expect(ingest.security).toEqual([{ 'ingest-token': [] }]);
    expect(Object.keys(ingest.requestBody.content)).toContain('application/cloudevents+json');
    expect(Object.keys(ingest.responses).sort()).toEqual(['202', '400', '401', '403', '413', '503']);
    expect(ingest.responses['400'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/ProblemSchema',
    });
    expect(document.components.schemas.ProblemSchema).toBeDefined();
  });
});

describe('ops readiness when PostgreSQL is gone', () => {
  let ops: INestApplication;
  let url: string;
  const database = new URL(process.env.DATABASE_URL as string);
  const dbName = database.pathname.slice(1);
  // Another database of the same server, to switch this one's connections off and on again.
  const admin = new Client({
    connectionString: Object.assign(new URL(database), { pathname: '/postgres' }).href,
  });
  const allowConnections = (allow: boolean) =>
    admin.query(`alter database "${dbName.replace(/"/g, '""')}" with allow_connections ${allow}`);

  beforeAll(async () => {
    ops = await bootstrapOps({ port: 0 });
    url = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    await admin.connect();
  });
  afterAll(async () => {
    await allowConnections(true);
    await admin.end();
    await ops?.close();
  });

  it('answers 503 naming the database as down, and ready again once it is back', async () => {
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    await allowConnections(false);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [dbName],
    );
    const down = await fetch(`${url}/health/ready`);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await down.text();
    expect(JSON.parse(text)).toMatchObject({
      status: 'error',
      checks: { database: false, rabbitmq: true },
      error: { database: { status: 'down' } },
    });
    // Liveness does not depend on it, and no probe repeats the connection's credentials.
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(text).not.toContain(database.password);

    await allowConnections(true);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });
});
