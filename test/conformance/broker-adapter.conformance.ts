import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { ConfigModule } from '@nazorg/config';
import { HandlingResult, InboundMessage, MessagingModule } from '@nazorg/messaging';

/**
 * The conformance suite every broker adapter (Nest custom transport strategy) must pass, in the
 * spirit of Redpanda Connect's shared integration stream tests: the adapter hands bodies over
 * intact, and acks, retries and dead-letters exactly as the handler's typed result says.
 */
export const CONFORMANCE_PATTERN = 'conformance.message';

export interface BrokerUnderTest {
  /** Builds the strategy for an app whose MessagingModule is already created. */
  strategy(app: INestMicroserviceHost): Promise<StartedInBackground>;
  send(body: string): Promise<void>;
  /** Bodies the adapter dead-lettered. */
  deadLettered(): Promise<string[]>;
  /** Whether `reject` keeps the message in a dead-letter place on the broker. */
  keepsRejected: boolean;
  cleanup?(): Promise<void>;
}

export interface INestMicroserviceHost {
  get<T>(token: unknown): T;
}

type Script = (message: InboundMessage) => HandlingResult | Promise<HandlingResult>;

/** Records every call and answers from a per-body script. */
class Recorder {
  calls: { body: string; attempt: number }[] = [];
  scripts = new Map<string, Script>();
  waiters: (() => void)[] = [];
  handle(message: InboundMessage): Promise<HandlingResult> | HandlingResult {
    const body = message.body.toString('utf8');
    this.calls.push({ body, attempt: message.attempt });
    this.waiters.forEach((w) => w());
    const script = [...this.scripts.entries()].find(([prefix]) => body.startsWith(prefix))?.[1];
    return script ? script(message) : HandlingResult.done();
  }
  count(body: string): number {
    return this.calls.filter((c) => c.body === body).length;
  }
  async until(predicate: () => boolean, timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const recorder = new Recorder();

@Controller()
class ConformanceController {
  @EventPattern(CONFORMANCE_PATTERN)
  handle(@Payload() message: InboundMessage): Promise<HandlingResult> | HandlingResult {
    return recorder.handle(message);
  }
}

@Module({
  imports: [ConfigModule.forRoot(), MessagingModule.forRoot({ identity: 'hub' })],
  controllers: [ConformanceController],
})
class ConformanceModule {}

/** A transport strategy that starts consuming in the background, as the hub's do (ADR 0019). */
export type StartedInBackground = CustomTransportStrategy & { whenRunning(): Promise<void> };

export function describeBrokerAdapterConformance(
  name: string,
  makeBroker: () => Promise<BrokerUnderTest>,
): void {
  describe(`broker adapter conformance: ${name}`, () => {
    let broker: BrokerUnderTest;
    let app: INestApplication;
    const tag = () => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      broker = await makeBroker();
      // One app owns the connections; the strategy is built from its providers, as in the hub.
      app = await NestFactory.create(ConformanceModule, { logger: ['error'] });
      await app.init();
      const strategy = await broker.strategy(app);
      app.connectMicroservice({ strategy });
      await app.startAllMicroservices();
      // listen() returns at once; the consumers start behind it (ADR 0019).
      await strategy.whenRunning();
    });
    afterAll(async () => {
      await app?.close();
      await broker?.cleanup?.();
    });
    beforeEach(() => {
      recorder.calls = [];
      recorder.scripts.clear();
    });

    it('hands the body over byte for byte, once, when the handler is done', async () => {
      const body = `plain-${tag()} ünïcødé {"json": true}`;
      await broker.send(body);
      await recorder.until(() => recorder.count(body) === 1);
      const marker = `marker-${tag()}`;
      await broker.send(marker);
      await recorder.until(() => recorder.count(marker) === 1);
      expect(recorder.count(body)).toBe(1);
    });

    it('redelivers a message whose handler asks for a retry, and then stops once it is done', async () => {
      const body = `retry-${tag()}`;
      let failures = 2;
      recorder.scripts.set(body, () =>
        failures-- > 0 ? HandlingResult.retry('database away') : HandlingResult.done(),
      );
      await broker.send(body);
      await recorder.until(() => recorder.count(body) === 3);
      const marker = `marker-${tag()}`;
      await broker.send(marker);
      await recorder.until(() => recorder.count(marker) === 1);
      expect(recorder.count(body)).toBe(3);
      // The handler learns how often it has seen the message (the hub parks a poison record by it).
      expect(recorder.calls.filter((c) => c.body === body).map((c) => c.attempt)).toEqual([1, 2, 3]);
    });

    it('treats a handler that throws as a retry, never as done', async () => {
      const body = `throws-${tag()}`;
      let throwsLeft = 1;
      recorder.scripts.set(body, () => {
        if (throwsLeft-- > 0) throw new Error('boom');
        return HandlingResult.done();
      });
      await broker.send(body);
      await recorder.until(() => recorder.count(body) === 2);
    });

    it('does not redeliver a rejected message, and messages after it still flow', async () => {
      const bad = `poison-${tag()}`;
      recorder.scripts.set(bad, () => HandlingResult.reject('can never succeed'));
      await broker.send(bad);
      const after = `after-${tag()}`;
      await broker.send(after);
      await recorder.until(() => recorder.count(after) === 1);
      expect(recorder.count(bad)).toBe(1);
      if (broker.keepsRejected) {
        const dead = await waitForDead(broker, bad);
        expect(dead).toContain(bad);
      }
    });
  });
}

async function waitForDead(broker: BrokerUnderTest, body: string): Promise<string[]> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const dead = await broker.deadLettered();
    if (dead.includes(body) || Date.now() > deadline) return dead;
    await new Promise((r) => setTimeout(r, 100));
  }
}
