import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { HubHarness } from '@nazorg/testing';

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
      checks: { database: true, rabbitmq: true, kafka: true },
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
    expect(Object.keys(ingest.responses).sort()).toEqual(['202', '400', '401', '403', '413']);
    expect(ingest.responses['400'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/ProblemSchema',
    });
    expect(document.components.schemas.ProblemSchema).toBeDefined();
  });
});
