import { INestApplication } from '@nestjs/common';
import { eventually, Events } from '@nazorg/testing';
import { bootstrapHub } from '../apps/hub/src/hub.bootstrap';

/**
 * Listen first (ADR 0019): a hub whose Kafka does not answer at all still starts, takes events over
 * HTTP (202) and is live, while readiness says 503 and names the Kafka ingress as not running.
 */
describe('hub start without Kafka', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    // Nothing listens on port 1: every Kafka connection attempt fails at once, for ever.
    app = await bootstrapHub({ port: 0, env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' } });
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 202 on HTTP ingest and is live, but not ready until its Kafka ingress runs', async () => {
    const response = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', authorization: 'Bearer demo-injus-token' },
      body: JSON.stringify(Events.started()),
    });
    expect(response.status).toBe(202);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    // The RabbitMQ consumers start in the background too, and do run; Kafka's never does.
    let body: { error?: { components?: Record<string, unknown> } } = {};
    await eventually(
      async () => {
        const ready = await fetch(`${url}/health/ready`);
        expect(ready.status).toBe(503);
        body = (await ready.json()) as typeof body;
        return (
          body.error?.components?.['rabbitmq-ingress'] === true && body.error?.components?.results === true
        );
      },
      10000,
      'the RabbitMQ consumers',
    );
    expect(body).toMatchObject({
      checks: { database: true, rabbitmq: true, components: false },
      error: {
        components: {
          status: 'down',
          'kafka-ingress': false,
          'http-intake': true,
          'outbox-relay': true,
          results: true,
          'rabbitmq-ingress': true,
        },
      },
    });
  });
});
