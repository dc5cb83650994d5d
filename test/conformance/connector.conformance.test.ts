import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@nazorg/config';
import { AftercareEventType, CloudEvent, HUB_SOURCE, RecipientKind } from '@nazorg/contracts';
import {
  ConnectorFactory,
  ConnectorKind,
  ConnectorOutcome,
  ConnectorsModule,
  RecipientConnector,
} from '@nazorg/connectors';
import { ExternalMocksModule, MOCK_TRIGGERS } from '@nazorg/external-mocks';
import { DEFAULT_PRIVACY_PROFILES, filterByProfile } from '@nazorg/privacy';
import { Module } from '@nestjs/common';
import { Events, newDetentionId } from '@nazorg/testing';

/**
 * The conformance suite every RecipientConnector must pass, against the real mock servers: it never
 * throws, answers `retry` when its system is slow or down, never sends its system a field its kind
 * may not see, and never puts personal data in a reason.
 */
const KINDS: ConnectorKind[] = ['brp', 'income', 'schuldhulp', 'zorg'];
const SYSTEM_OF: Record<ConnectorKind, string> = {
  brp: 'haalcentraal/api/brp',
  income: 'suwinet',
  schuldhulp: 'schuldhulp',
  zorg: 'zorg',
};
/** Identifying values the factory events carry, to look for where they must not be. */
const NAMES = ['Piet', 'Vries', '1991-04-02'];

let mocks: INestApplication;
let mocksUrl: string;
let connectors: INestApplication;

beforeAll(async () => {
  process.env.MOCK_SLOW_MS = '1500';
  mocks = await NestFactory.create(ExternalMocksModule, { logger: false });
  await mocks.listen(0, '127.0.0.1');
  mocksUrl = (await mocks.getUrl()).replace('[::1]', '127.0.0.1');
  const env = {
    ...process.env,
    BRP_API_URL: `${mocksUrl}/haalcentraal/api/brp`,
    SUWINET_API_URL: `${mocksUrl}/suwinet`,
    SCHULDHULP_API_URL: `${mocksUrl}/schuldhulp`,
    ZORG_API_URL: `${mocksUrl}/zorg`,
    CONNECTOR_HTTP_TIMEOUT_MS: '500',
  };
  @Module({ imports: [ConfigModule.forRoot({ env }), ConnectorsModule] })
  class ConformanceModule {}
  connectors = await NestFactory.create(ConformanceModule, { logger: false });
  await connectors.init();
});
afterAll(async () => {
  await connectors?.close();
  await mocks?.close();
});

/** A delivery as the hub would send it to this kind: trimmed to the kind's default profile. */
function deliveryFor(kind: RecipientKind, event: CloudEvent<object>): CloudEvent {
  const { data } = filterByProfile(event.data as Record<string, unknown>, DEFAULT_PRIVACY_PROFILES[kind]);
  return {
    ...event,
    data,
    id: `${event.id}-${kind}`,
    recipient: `${kind}-eemland-zuid`,
    tenant: 'eemland-zuid',
  };
}

/** The hub's referral request after that screening, before the privacy filter (its consent gates). */
function referralRequested(screening: CloudEvent<object>): CloudEvent<object> {
  const { detentionId, screenedAt, debts, incomeWork, care, housing, consent } = screening.data as Record<
    string,
    unknown
  >;
  return {
    ...screening,
    id: `${screening.id}-referral`,
    source: HUB_SOURCE,
    type: AftercareEventType.REFERRAL_REQUESTED,
    data: { detentionId, screenedAt, debts, incomeWork, care, housing, consent },
  };
}

function lifecycle(bsn = '999990019', detentionId = newDetentionId()): CloudEvent<object>[] {
  const screening = Events.screening(detentionId);
  return [
    Events.started(detentionId, { person: { bsn } }),
    screening,
    referralRequested(screening),
    Events.releaseScheduled(detentionId),
    Events.transferred(detentionId),
    Events.released(detentionId),
    Events.withdrawn(detentionId),
  ];
}

async function requestsTo(kind: ConnectorKind): Promise<unknown[]> {
  return (await fetch(`${mocksUrl}/${SYSTEM_OF[kind]}/__requests`)).json() as Promise<unknown[]>;
}

describe.each(KINDS)('RecipientConnector conformance: %s', (kind) => {
  let connector: RecipientConnector;
  beforeAll(() => {
    connector = connectors.get(ConnectorFactory).forKind(kind);
  });
  beforeEach(async () => {
    await fetch(`${mocksUrl}/${SYSTEM_OF[kind]}/__requests`, { method: 'DELETE' });
  });

  it('handles every event type without throwing, and completes for at least one', async () => {
    const outcomes: ConnectorOutcome[] = [];
    for (const event of lifecycle()) outcomes.push(await connector.handle(deliveryFor(kind, event)));
    for (const o of outcomes) expect(['completed', 'not-applicable']).toContain(o.status);
    expect(outcomes.some((o) => o.status === 'completed')).toBe(true);
    expect(outcomes.find((o) => o.status === 'completed')).toMatchObject({
      result: { data: { outcome: 'completed', details: expect.any(Object) } },
    });
  });

  it('answers retry, with a reason free of personal data, when its system is down or slow', async () => {
    for (const [bsn, suffix] of [
      [MOCK_TRIGGERS.failingBsn, MOCK_TRIGGERS.failingSuffix],
      [MOCK_TRIGGERS.slowBsn, MOCK_TRIGGERS.slowSuffix],
    ]) {
      const outcomes = await Promise.all(
        lifecycle(bsn, `${newDetentionId()}${suffix}`).map((e) => connector.handle(deliveryFor(kind, e))),
      );
      const applicable = outcomes.filter((o) => o.status !== 'not-applicable');
      expect(applicable.length).toBeGreaterThan(0);
      for (const o of applicable) {
        expect(o.status).toBe('retry');
        if (o.status === 'retry') expect(o.reason).not.toMatch(/\d{9}|Piet|Vries/);
      }
    }
  });

  it('never sends its system a field its kind may not see', async () => {
    for (const event of lifecycle()) await connector.handle(deliveryFor(kind, event));
    const sent = JSON.stringify(await requestsTo(kind));
    expect(sent.length).toBeGreaterThan(2);
    // Names and birth dates are never needed by any external system we call.
    for (const value of NAMES) expect(sent).not.toContain(value);
    if (kind === 'zorg') expect(sent).not.toContain('999990019');
  });
});

describe('person unknown to the external system', () => {
  it.each<ConnectorKind>(['brp', 'income'])('%s reports person-unknown, not a failure', async (kind) => {
    const connector = connectors.get(ConnectorFactory).forKind(kind);
    const started = Events.started(undefined, { person: { bsn: MOCK_TRIGGERS.unknownBsn } });
    const outcome = await connector.handle(deliveryFor(kind, started));
    expect(outcome).toMatchObject({ status: 'completed', result: { data: { outcome: 'person-unknown' } } });
  });
});
