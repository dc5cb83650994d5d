import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { HubHarness } from '@nazorg/testing';

/** The hub's probes through terminus: liveness, and readiness of PostgreSQL, RabbitMQ and the Kafka consumer. */
describe('hub health (terminus)', () => {
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
});
