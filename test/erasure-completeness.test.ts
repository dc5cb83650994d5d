import { AppConfig } from '@nazorg/config';
import { Channels, CloudEvent, ConnectorResultType, DPAN_ANSWER_TOPIC } from '@nazorg/contracts';
import { AmqpConnection, AmqpDeadLetters, HubQueues, kafkaDeadLetterTopic } from '@nazorg/messaging';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { RetentionPurgeService } from '@nazorg/retention';
import {
  connectorResult,
  eventually,
  Events,
  HubHarness,
  testKafka,
  writeTenantsFile,
} from '@nazorg/testing';
import { ConfigResourceTypes } from 'kafkajs';

/**
 * Erasure is complete (issue 13, ADR 0024): after a withdrawal, and after retention, nothing in any
 * table or column of the hub's schema, nor in any queue the hub declares, identifies the detention
 * or the person: no names, BSN or detention id, and none of the identifiers that lead back to them
 * (the feed's event ids, the delivery and result ids made from them, trace ids made from the chain's
 * correlation id, dead-letter hints). Other detentions' traffic goes on around it and is left alone.
 * The Kafka topics the hub declares keep records only as long as their documented purpose.
 */
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe('erasure leaves nothing that identifies the detention or the person', () => {
  let hub: HubHarness;
  let pseudonym: (id: string) => string;

  beforeAll(async () => {
    // Westland keeps data briefly (30 + 30 days), so retention can erase a detention released 100 days ago.
    const tenantsFile = writeTenantsFile((file) => {
      const westland = file.tenants.find((t) => t.id === 'westland')!;
      westland.policy = { ...westland.policy, aftercareDays: 30, retentionDaysAfterAftercare: 30 };
    });
    hub = await HubHarness.start({ env: { TENANTS_FILE: tenantsFile } });
    const pseudonymizer = hub.app.get<PseudonymizerPort>(PSEUDONYMIZER);
    pseudonym = (id) => pseudonymizer.pseudonym(id);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** Unrelated detentions started every 100 ms while `work` runs: erasure must leave them alone. */
  async function withTrafficAround<T>(work: () => Promise<T>): Promise<{ result: T; others: string[] }> {
    const others: string[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) {
        const other = Events.started();
        others.push(other.subject);
        await hub.publishKafka(other);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      return { result: await work(), others };
    } finally {
      running = false;
      await traffic;
    }
  }

  /** A whole lifecycle of one person, with every kind of identifier the hub derives from it. */
  async function lifecycle(municipality: string, bsn: string, familyName: string, releasedDaysAgo = 0) {
    const started = Events.started(undefined, {
      municipalityOfOrigin: municipality,
      person: { bsn, givenNames: `Voor${familyName}`, familyName, birthDate: '1979-03-08' },
      caseManager: { name: `Beheerder ${familyName}` },
      startedAt: daysAgo(releasedDaysAgo + 30),
    });
    const id = started.subject;
    const screening = Events.screening(id, { screenedAt: daysAgo(releasedDaysAgo + 20) });
    const released = Events.released(id, {
      releasedAt: daysAgo(releasedDaysAgo),
      destinationMunicipality: municipality,
    });
    // A rejected copy of the start (its BSN fails the eleven-test) is kept as a dead letter with hints.
    const wrongBsn = bsn.slice(0, 8) + String((Number(bsn[8]) + 1) % 10);
    const rejected = {
      ...started,
      id: `${started.id}-rejected`,
      data: { ...started.data, person: { ...started.data.person, bsn: wrongBsn } },
    };
    expect((await hub.postHttp(rejected)).status).toBe(400);
    for (const event of [started, screening, released]) await hub.publishKafka(event);
    const coordinator = municipality === '1783' ? 'coordinator-westland' : 'coordinator-haarlem';
    const brp = municipality === '1783' ? 'brp-westland' : 'brp-haarlem';
    await hub.probe.waitFor(() =>
      hub.probe.about(id, coordinator).some((m) => m.event.type === released.type),
    );
    // A connector's answer (its id is made from the delivery id, so from the feed's event id).
    const result = connectorResult(ConnectorResultType.BRP_REGISTRATION_CHECKED, id, brp);
    await hub.publisherAs('connector-brp').publish({
      exchange: 'hub.results',
      routingKey: result.type,
      body: JSON.stringify(result),
    });
    await hub.waitForCount(`select count(*) from connector_result where event_id = $1`, [result.id], 1);
    // What the broker kept of it: a feed event and a result that the hub's consumers gave up on.
    await toDeadLetterQueue(HubQueues.INGRESS, screening);
    await toDeadLetterQueue(HubQueues.RESULTS, result);
    await hub.waitForCount(
      `select count(*) from delivery where published_at is null and detention_id = $1`,
      [id],
      0,
    );
    const deliveryIds: { id: string }[] = await hub.db.query(
      `select id from delivery where detention_id = $1`,
      [id],
    );
    const traceIds: { trace_id: string }[] = await hub.db.query(
      `select distinct trace_id from disclosure_record where detention_pseudonym = $1`,
      [pseudonym(id)],
    );
    return {
      id,
      events: [started, screening, released],
      identifiers: {
        person: [id, bsn, `Voor${familyName}`, familyName, '1979-03-08', `Beheerder ${familyName}`],
        feedEventIds: [started.id, screening.id, released.id, rejected.id],
        resultIds: [result.id],
        deliveryIds: deliveryIds.map((d) => d.id),
        traceIds: traceIds.map((t) => t.trace_id),
      },
    };
  }

  async function toDeadLetterQueue(queue: string, event: CloudEvent<object>): Promise<void> {
    const channel = await (await hub.app.get(AmqpConnection).currentModel()).createConfirmChannel();
    try {
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(
          HubQueues.dead(queue),
          Buffer.from(JSON.stringify(event)),
          { persistent: true },
          (e) => (e ? reject(e) : resolve()),
        ),
      );
    } finally {
      await channel.close();
    }
  }

  /** Where any of `secrets` is still found: every table and column (sealed ones opened), every queue. */
  async function traces(secrets: string[]): Promise<string[]> {
    const found = await hub.personalDataLeftovers(secrets);
    for (const { queue, content } of await hub.queuedMessages())
      for (const s of secrets) if (content.includes(s)) found.push(`queue ${queue}: ${s}`);
    return found;
  }

  /** No sealed value is left on the erased detention's rows, and its case keeps no conditions. */
  async function sealedLeft(id: string): Promise<Record<string, number>> {
    const p = pseudonym(id);
    const count = async (sql: string) => Number((await hub.db.query(sql, [p]))[0].count);
    return {
      inbound_event: await count(
        `select count(*) from inbound_event where detention_id = $1 and event_sealed is not null`,
      ),
      delivery: await count(
        `select count(*) from delivery where detention_id = $1 and message_sealed is not null`,
      ),
      connector_result: await count(
        `select count(*) from connector_result where detention_id = $1 and event_sealed is not null`,
      ),
      dead_letter: await count(
        `select count(*) from dead_letter where subject_pseudonym = $1 and payload is not null`,
      ),
      aftercare_case: await count(
        `select count(*) from aftercare_case where detention_id = $1
           and (state_sealed is not null or conditions_sealed is not null or cardinality(problems) > 0
                or cardinality(referrals) > 0)`,
      ),
    };
  }
  const NOTHING_SEALED = {
    inbound_event: 0,
    delivery: 0,
    connector_result: 0,
    dead_letter: 0,
    aftercare_case: 0,
  };

  it('after a withdrawal: no table, column or queue of the hub holds an identifier of it', async () => {
    const { result: person, others } = await withTrafficAround(async () => {
      const person = await lifecycle('0392', '999991024', 'Wisbaar');
      const all = Object.values(person.identifiers).flat();
      // Everything is there before the withdrawal, each kind of identifier (so the scan can fail).
      const before = await traces(all);
      for (const kind of Object.values(person.identifiers))
        expect(kind.some((value) => before.some((f) => f.endsWith(`: ${value}`)))).toBe(true);
      expect(before.some((f) => f.startsWith(`queue ${HubQueues.dead(HubQueues.INGRESS)}`))).toBe(true);
      expect(before.some((f) => f.startsWith(`queue ${HubQueues.dead(HubQueues.RESULTS)}`))).toBe(true);
      expect(before.some((f) => f.startsWith('dead_letter:'))).toBe(true);

      const withdrawn = Events.withdrawn(person.id);
      await hub.publishKafka(withdrawn);
      person.identifiers.feedEventIds.push(withdrawn.id);
      await hub.waitForCount(
        `select count(*) from detention where detention_id = $1 and erased_at is not null`,
        [pseudonym(person.id)],
        1,
      );
      // The broker's dead letters about it go right after the erasure (counted, not read: a read
      // holds the messages, and the sweep does not see them meanwhile).
      const deadLetters = hub.app.get(AmqpDeadLetters);
      await eventually(
        async () =>
          (await deadLetters.count(HubQueues.INGRESS)) + (await deadLetters.count(HubQueues.RESULTS)) === 0,
        10_000,
        'the dead letters about it to be dropped',
      );
      return person;
    });
    // A dead-lettered feed event of another detention stays where it is.
    const other = Events.started();
    await toDeadLetterQueue(HubQueues.INGRESS, other);

    expect(await traces(Object.values(person.identifiers).flat())).toEqual([]);
    expect(await sealedLeft(person.id)).toEqual(NOTHING_SEALED);
    // What operations keep: a pseudonymised trace that still counts.
    const [{ count }] = await hub.db.query(`select count(*) from inbound_event where detention_id = $1`, [
      pseudonym(person.id),
    ]);
    expect(Number(count)).toBe(4);
    // The traffic around it is untouched, and the other dead letter is still in its queue.
    expect((await hub.personalDataLeftovers(others.slice(0, 3))).length).toBeGreaterThan(0);
    expect(
      (await hub.queuedMessages()).some(
        (m) => m.queue === HubQueues.dead(HubQueues.INGRESS) && m.content.includes(other.subject),
      ),
    ).toBe(true);

    // Its start sent again is still a duplicate (under its keyed id): not a new notification, and
    // not stored again.
    expect((await hub.postHttp(person.events[0])).status).toBe(202);
    const [{ count: after }] = await hub.db.query(
      `select count(*) from inbound_event where detention_id = $1`,
      [pseudonym(person.id)],
    );
    expect(Number(after)).toBe(4);
    expect(await traces(Object.values(person.identifiers).flat())).toEqual([]);
  });

  it('after retention: no table, column or queue of the hub holds an identifier of it', async () => {
    const { result: person } = await withTrafficAround(async () => {
      const person = await lifecycle('1783', '999991012', 'Verlopen', 100); // 100 > 30 + 30 days
      expect((await traces(Object.values(person.identifiers).flat())).length).toBeGreaterThan(0);
      const purge = hub.app.get(RetentionPurgeService);
      expect(await purge.purgeExpired(new Date())).toMatchObject({ detentions: 1, brokerDeadLetters: 2 });
      return person;
    });
    expect(await traces(Object.values(person.identifiers).flat())).toEqual([]);
    expect(await sealedLeft(person.id)).toEqual(NOTHING_SEALED);
  });

  it('the Kafka topics the hub declares keep records only as long as their purpose (docs/privacy.md)', async () => {
    const config = hub.app.get(AppConfig);
    const admin = testKafka('hub').admin();
    await admin.connect();
    try {
      const topics = [
        Channels.KAFKA_INGRESS_TOPIC,
        DPAN_ANSWER_TOPIC,
        kafkaDeadLetterTopic(Channels.KAFKA_INGRESS_TOPIC),
      ];
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['retention.ms'],
        })),
      });
      const retention = Object.fromEntries(
        described.resources.map((r) => [
          r.resourceName,
          r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
        ]),
      );
      expect(retention).toEqual({
        [Channels.KAFKA_INGRESS_TOPIC]: String(config.KAFKA_TOPIC_RETENTION_HOURS * 3_600_000),
        [DPAN_ANSWER_TOPIC]: String(config.KAFKA_TOPIC_RETENTION_HOURS * 3_600_000),
        [kafkaDeadLetterTopic(Channels.KAFKA_INGRESS_TOPIC)]: String(config.DEAD_LETTER_RETENTION_DAYS * DAY),
      });
    } finally {
      await admin.disconnect();
    }
  });
});
