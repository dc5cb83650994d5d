import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapConnector, ConnectorKind } from '@nazorg/connectors';
import { ConnectorResultType, DPAN_ANSWER_TOPIC } from '@nazorg/contracts';
import { ExternalMocksModule, MOCK_TRIGGERS } from '@nazorg/external-mocks';
import { HubQueues } from '@nazorg/messaging';
import { Events, HubHarness } from '@nazorg/testing';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';
import { connect } from 'amqplib';

type FlowsBody = { brokerDeadLetters: Record<string, number> };

/**
 * Feed → hub → recipient queues → the four connector processes → their mocks → results on
 * `hub.results` → stored with the case. All on the real brokers and database.
 */
describe('connectors end to end', () => {
  let hub: HubHarness;
  let mocks: INestApplication;
  const connectors: INestApplication[] = [];

  beforeAll(async () => {
    mocks = await NestFactory.create(ExternalMocksModule, { logger: false });
    await mocks.listen(0, '127.0.0.1');
    const url = (await mocks.getUrl()).replace('[::1]', '127.0.0.1');
    Object.assign(process.env, {
      BRP_API_URL: `${url}/haalcentraal/api/brp`,
      SUWINET_API_URL: `${url}/suwinet`,
      SCHULDHULP_API_URL: `${url}/schuldhulp`,
      ZORG_API_URL: `${url}/zorg`,
      DELIVERY_MAX_RETRIES: '2',
    });
    // Connectors consume their own queues; the probe only stands in for the coordinators.
    hub = await HubHarness.start({ probe: ['coordinator-eemland-zuid'] });
    for (const kind of ['brp', 'income', 'schuldhulp', 'zorg'] as ConnectorKind[]) {
      connectors.push(await bootstrapConnector(kind));
    }
  });
  afterAll(async () => {
    for (const c of connectors) await c.close();
    await hub?.stop();
    await mocks?.close();
  });

  const results = async (detentionId: string) => {
    const rows: { id: string; type: string; outcome: string; recipient_id: string; event_sealed: Buffer }[] =
      await hub.db.query(
        `select id, type, outcome, recipient_id, event_sealed from connector_result where detention_id = $1 order by type`,
        [detentionId],
      );
    const events = await Promise.all(
      rows.map((r) =>
        hub.unseal<{ data: { details: Record<string, unknown> } }>(
          r.event_sealed,
          'connector_result.event',
          r.id,
        ),
      ),
    );
    return rows.map((r, i) => ({
      ...r,
      event: events[i],
    }));
  };

  it('the real BRP and income connectors lead to the DPAN answer on Kafka, with their findings', async () => {
    const dpan = await hub.listenKafka(DPAN_ANSWER_TOPIC);
    try {
      const started = Events.started(undefined, { municipalityOfOrigin: '0392', flags: { pga: false } });
      const sent = Date.now();
      await hub.publishKafka(started);
      await hub.probe.waitFor(
        () => dpan.received.some((e) => e.subject === started.subject),
        30000,
        'the DPAN answer',
      );
      process.stdout.write(`[connectors] DPAN answer ${Date.now() - sent} ms after the start notification\n`);
      const answer = dpan.received.find((e) => e.subject === started.subject)!;
      expect(answer.data).toMatchObject({
        detentionId: started.subject,
        municipality: 'haarlem',
        brp: {
          outcome: 'completed',
          registered: expect.any(Boolean),
          deregistrationRisk: expect.any(Boolean),
        },
        income: { outcome: 'completed', hasBenefit: expect.any(Boolean) },
      });
    } finally {
      await dpan.stop();
    }
  });

  it('each connector calls its mock and its result is stored with the case', async () => {
    const started = Events.started();
    const id = started.subject;
    await hub.publishKafka(started);
    await hub.publishKafka(Events.screening(id, { consent: { schuldhulp: true, zorg: true } }));
    // The release is asked about by detention id only: let the start's reports arrive first.
    await hub.waitForCount(`select count(*) from connector_result where detention_id = $1`, [id], 5, 30000);
    await hub.publishKafka(Events.released(id));
    await hub.waitForCount(`select count(*) from connector_result where detention_id = $1`, [id], 8, 30000);
    const rows = await results(id);
    expect(rows.map((r) => [r.type, r.recipient_id, r.outcome])).toEqual(
      [
        [ConnectorResultType.BRP_REGISTRATION_CHECKED, 'brp-eemland-zuid', 'completed'],
        [ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED, 'brp-eemland-zuid', 'completed'],
        [ConnectorResultType.INCOME_BENEFITS_CHECKED, 'income-eemland-zuid', 'completed'],
        [ConnectorResultType.INCOME_RESUMPTION_REQUESTED, 'income-eemland-zuid', 'completed'],
        [ConnectorResultType.SCHULDHULP_REFERRAL_MADE, 'schuldhulp-eemland-zuid', 'completed'],
        [ConnectorResultType.ZORG_PARTNERS_NOTIFIED, 'zorg-eemland-zuid', 'completed'],
        [ConnectorResultType.ZORG_PARTNERS_NOTIFIED, 'zorg-eemland-zuid', 'completed'],
        [ConnectorResultType.ZORG_SUPERVISION_REGISTERED, 'zorg-eemland-zuid', 'completed'],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
    // At screening the care areas pick the partners; at release, supervision adds probation.
    const zorg = rows
      .filter((r) => r.type === ConnectorResultType.ZORG_PARTNERS_NOTIFIED)
      .map((r) => r.event.data.details);
    expect(zorg).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ moment: 'screening', partners: ['Victas', 'GGZ Centraal'] }),
        expect.objectContaining({
          moment: 'release',
          partners: ['Victas', 'GGZ Centraal', 'Reclassering Nederland'],
        }),
      ]),
    );
    // The example person goes home to the address the BRP has.
    const release = rows.find((r) => r.type === ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED);
    expect(release?.event.data.details).toMatchObject({ addressCheck: 'registered-at-address' });
  });

  it('without consent there is no debt-help referral and no care notification at screening', async () => {
    const started = Events.started();
    const id = started.subject;
    await hub.publishKafka(started);
    await hub.publishKafka(Events.screening(id, { consent: { schuldhulp: false, zorg: false } }));
    await hub.waitForCount(`select count(*) from connector_result where detention_id = $1`, [id], 3, 30000);
    // The coordinator got the screening, so the connectors had it too; give them a moment to (not) act.
    await hub.probe.waitFor(() => hub.probe.about(id, 'coordinator-eemland-zuid').length === 2);
    await new Promise((r) => setTimeout(r, 1000));
    const types = (await results(id)).map((r) => r.type);
    expect(types.sort()).toEqual(
      [
        ConnectorResultType.BRP_REGISTRATION_CHECKED,
        ConnectorResultType.INCOME_BENEFITS_CHECKED,
        ConnectorResultType.ZORG_SUPERVISION_REGISTERED,
      ].sort(),
    );
  });

  it('a person unknown to BRP and Suwinet is recorded as person-unknown', async () => {
    const started = Events.started(undefined, { person: { bsn: MOCK_TRIGGERS.unknownBsn } });
    await hub.publishKafka(started);
    await hub.waitForCount(
      `select count(*) from connector_result where detention_id = $1`,
      [started.subject],
      3,
      30000,
    );
    expect(
      (await results(started.subject))
        .filter((r) => r.type !== ConnectorResultType.ZORG_SUPERVISION_REGISTERED)
        .map((r) => r.outcome),
    ).toEqual(['person-unknown', 'person-unknown']);
  });

  it('a system that keeps failing is retried, then the delivery is dead-lettered on the broker with its reason', async () => {
    const started = Events.started(undefined, { person: { bsn: MOCK_TRIGGERS.failingBsn } });
    await hub.publishKafka(started);
    const model = await connect(process.env.AMQP_URL as string);
    const channel = await model.createChannel();
    try {
      const deadline = Date.now() + 30000;
      let found: { reason?: string; attempt?: string } | undefined;
      while (!found && Date.now() < deadline) {
        const msg = await channel.get(HubQueues.dead('recipient.brp-eemland-zuid'), { noAck: false });
        if (msg && JSON.parse(msg.content.toString()).subject === started.subject) {
          found = {
            reason: String(msg.properties.headers?.['x-nazorg-dead-letter-reason']),
            attempt: String(msg.properties.headers?.['x-nazorg-attempt']),
          };
        } else await new Promise((r) => setTimeout(r, 200));
      }
      expect(found?.reason).toContain('503');
      expect(found?.reason).not.toContain(MOCK_TRIGGERS.failingBsn);
      expect(Number(found?.attempt)).toBe(3);
    } finally {
      await model.close();
    }
    // Operations see it waiting, and can send it back for another round.
    const ops = await bootstrapOps({ port: 0 });
    try {
      const opsUrl = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
      const auth = { authorization: 'Bearer demo-operator-token' };
      const flows = (await (await fetch(`${opsUrl}/api/v1/flows`, { headers: auth })).json()) as FlowsBody;
      expect(flows.brokerDeadLetters['recipient.brp-eemland-zuid']).toBeGreaterThanOrEqual(1);
      const replay = await fetch(`${opsUrl}/api/v1/broker-dead-letters/recipient.brp-eemland-zuid/replay`, {
        method: 'POST',
        headers: auth,
      });
      expect(replay.status).toBe(200);
      expect(((await replay.json()) as { moved: number }).moved).toBeGreaterThanOrEqual(1);
      const coordinator = await fetch(
        `${opsUrl}/api/v1/broker-dead-letters/recipient.brp-eemland-zuid/replay`,
        {
          method: 'POST',
          headers: { authorization: 'Bearer demo-coordinator-westland-token' },
        },
      );
      expect(coordinator.status).toBe(403);
      // The mock still fails for this person: after a fresh round of attempts it is back, not lost.
      const deadline = Date.now() + 30000;
      let back = 0;
      while (back === 0 && Date.now() < deadline) {
        const again = (await (await fetch(`${opsUrl}/api/v1/flows`, { headers: auth })).json()) as FlowsBody;
        back = again.brokerDeadLetters['recipient.brp-eemland-zuid'] ?? 0;
        if (back === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(back).toBeGreaterThanOrEqual(1);
    } finally {
      await ops.close();
    }
  });
});
