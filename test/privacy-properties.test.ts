import fc from 'fast-check';
import {
  AftercareEventType,
  DetentionEvent,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  HUB_SOURCE,
  RecipientKind,
} from '@nazorg/contracts';
import { DEFAULT_PRIVACY_PROFILES, DEFAULT_PRIVACY_PROFILES_VERSION } from '@nazorg/privacy';
import { DeliveryPlanner } from '@nazorg/routing';
import { LifecycleGenerator } from '@nazorg/simulator';
import { HubHarness, TenantsYaml, writeTenantsFile } from '@nazorg/testing';

/**
 * Property-based, on the real pipeline: random narrowed privacy profiles for every tenant
 * recipient, random lifecycles from the simulator (every event type, random consent), plus fields
 * the feed might add later. For every message any recipient receives: only paths its own profile
 * allows, consent-gated paths only with that consent, never another tenant's person, and a
 * disclosure record naming the profile version and the configured legal ground. The hub's own
 * messages (alerts, warm handover, referral requests) are held to the same profiles.
 */
// A new seed every run unless one is given, so CI keeps exploring; a failure prints it (and the
// summary line does too) so `PROPERTY_SEED=<seed>` replays exactly that run.
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);
// Profiles are start-time configuration: each set is a hub started with its own random narrowings.
const PROFILE_SETS = Array.from(
  { length: Number(process.env.PROPERTY_PROFILE_SETS ?? 3) },
  (_, i) => SEED + i,
);
const ZORG_GROUND = 'Wmo 2015 art. 5.1.1; consent recorded at screening (Haarlem-style wording)';

type Narrowing = Record<string, { version: string; fields: string[] } | undefined>;

/**
 * The hub's own fields in its own messages (alerts, warm handover, referral requests), which no feed
 * profile lists; every other path in them is the feed's and must keep to the profile too.
 */
const HUB_OWN_FIELDS: Record<string, string[]> = {
  [AftercareEventType.DEADLINE_ALERT]: ['deadline', 'status', 'dueOn'],
};
/** A feed event's own delivery; the hub's messages caused by it share its causationid. */
const isFeedDelivery = (m: { event: { source: string } }) => m.event.source !== HUB_SOURCE;

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** A random narrowing (or none) of each tenant recipient's kind default. */
function narrowingsFor(file: TenantsYaml): fc.Arbitrary<Narrowing> {
  const recipients = file.tenants.flatMap((t) => t.recipients);
  return fc.record(
    Object.fromEntries(
      recipients.map((r) => [
        r.id,
        fc.option(
          fc.record({
            version: fc.constantFrom('2026-01', '2026-07', 'pilot-3'),
            fields: fc.subarray(DEFAULT_PRIVACY_PROFILES[r.kind as RecipientKind].map((rule) => rule.path)),
          }),
          { nil: undefined },
        ),
      ]),
    ),
  ) as fc.Arbitrary<Narrowing>;
}

describe.each(PROFILE_SETS)('privacy properties on the real pipeline (profile set seeded %i)', (setSeed) => {
  let hub: HubHarness;
  let narrowing: Narrowing;
  let file: TenantsYaml;
  const tenantOfRecipient = new Map<string, string | null>();
  const tenantOfMunicipality = new Map<string, string>();
  let generatorSeed = setSeed;

  beforeAll(async () => {
    const path = writeTenantsFile((f) => {
      [narrowing] = fc.sample(narrowingsFor(f), { seed: setSeed, numRuns: 1 });
      for (const tenant of f.tenants) {
        for (const r of tenant.recipients) if (narrowing[r.id]) r.profile = narrowing[r.id];
      }
      f.disclosureGrounds = {
        zorg: { processingActivity: 'nazorg.warm-handover', legalGround: ZORG_GROUND },
      };
      file = f;
    });
    for (const t of file.tenants) {
      for (const m of t.municipalities) tenantOfMunicipality.set(m, t.id);
      for (const r of t.recipients) tenantOfRecipient.set(r.id, t.id);
    }
    for (const r of file.sharedRecipients) tenantOfRecipient.set(r.id, null);
    hub = await HubHarness.start({ env: { TENANTS_FILE: path } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const opsRef = (eventId: string) => hub.app.get(DeliveryPlanner).opsEventRef(eventId);
  const kindOf = (recipientId: string): RecipientKind =>
    recipientId === 'ops' ? 'ops' : (recipientId.split('-')[0] as RecipientKind);

  it('no forbidden path, no consent bypass, no cross-tenant delivery, every disclosure logged', async () => {
    let messagesChecked = 0;
    let hubMessagesChecked = 0;
    let eventsTried = 0;
    let runsWithFutureFields = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), async (lifecycleCount) => {
        // Every other run, from the first: each set covers fields the feed may add one day,
        // whatever the seed (drawn at random, a set of five runs went without them 1 time in 32).
        const withFutureFields = runs++ % 2 === 0;
        const generator = new LifecycleGenerator(generatorSeed++);
        const lifecycles = Array.from({ length: lifecycleCount }, () => generator.next());
        const events: DetentionEvent[] = lifecycles.flatMap((l) =>
          l.events.map((e) =>
            withFutureFields
              ? // Fields the feed may add one day: no profile lists them, so no one may get them.
                ({
                  ...e,
                  data: { ...e.data, futureField: 'x', ...withPerson(e) },
                } as unknown as DetentionEvent)
              : e,
          ),
        );
        if (withFutureFields) runsWithFutureFields++;
        eventsTried += events.length;
        const originOf = new Map(
          lifecycles.map((l) => [
            l.detentionId,
            (l.events[0].data as DetentionStartedData).municipalityOfOrigin,
          ]),
        );
        for (const e of events) await hub.publishKafka(e);
        const sent = await waitForAllDeliveries(events);
        // Feed deliveries, and whatever hub messages they caused that arrived meanwhile.
        // By causation: the event's id, or for ops its keyed hash.
        const byRef = new Map(events.flatMap((e) => [[e.id, e] as const, [opsRef(e.id), e] as const]));
        const received = hub.probe.received.filter((m) => byRef.has(m.event.causationid as string));
        expect(received.filter(isFeedDelivery).length).toBe(sent);

        for (const { recipientId, event: message } of received) {
          messagesChecked++;
          if (!isFeedDelivery({ event: message })) hubMessagesChecked++;
          const source = byRef.get(message.causationid as string) as DetentionEvent;
          // Ops follow the chain by keyed hashes only, never by the feed's event ids.
          if (recipientId === 'ops')
            expect(message.correlationid).not.toBe(source.correlationid ?? source.id);
          const kind = kindOf(recipientId);
          const defaults = DEFAULT_PRIVACY_PROFILES[kind];
          const allowed = new Set([
            ...(narrowing[recipientId]?.fields ?? defaults.map((r) => r.path)),
            ...(isFeedDelivery({ event: message }) ? [] : (HUB_OWN_FIELDS[message.type] ?? [])),
          ]);
          const gate = new Map(defaults.map((r) => [r.path, r.when]));
          const consent = (source.data as { consent?: Record<string, boolean> }).consent ?? {};
          for (const path of leafPaths(message.data).filter(Boolean)) {
            expect({ recipientId, path, allowed: allowed.has(path) }).toEqual({
              recipientId,
              path,
              allowed: true,
            });
            const when = gate.get(path);
            if (when)
              expect({ recipientId, path, consent: consent[when.split('.')[1]] }).toMatchObject({
                consent: true,
              });
          }
          // Tenancy: the origin's tenant, or (coordinator only) the release destination's tenant.
          const recipientTenant = tenantOfRecipient.get(recipientId);
          const origin = tenantOfMunicipality.get(originOf.get(source.subject) ?? '');
          const destination =
            source.type === DetentionEventType.DETENTION_RELEASED
              ? tenantOfMunicipality.get((source.data as DetentionReleasedData).destinationMunicipality ?? '')
              : undefined;
          if (recipientTenant === null) expect(kind).toBe('ops');
          else if (recipientTenant !== origin) {
            expect({ recipientId, kind, recipientTenant }).toEqual({
              recipientId,
              kind: 'coordinator',
              recipientTenant: destination,
            });
          }
          expect(message.tenant).toBe(recipientTenant ?? origin);
        }

        // The disclosure log: one record per delivery, with the version and the configured ground.
        const records: { recipient_id: string; version: string; ground: string; kind: string }[] =
          await hub.db.query(
            `select r.recipient_id, r.privacy_profile_version as version, r.legal_ground as ground,
                      r.recipient_kind as kind
               from disclosure_record r join delivery d on d.id = r.delivery_id
               join inbound_event e on e.id = d.inbound_event_id where e.event_id = any($1)`,
            [storedIdsOf(events)],
          );
        expect(records.length).toBe(sent);
        for (const r of records) {
          const own = narrowing[r.recipient_id];
          expect(r.version).toBe(
            own ? `${DEFAULT_PRIVACY_PROFILES_VERSION}/${own.version}` : DEFAULT_PRIVACY_PROFILES_VERSION,
          );
          if (r.kind === 'zorg') expect(r.ground).toBe(ZORG_GROUND);
        }
      }),
      { seed: setSeed, numRuns: Math.ceil(RUNS / PROFILE_SETS.length), endOnFailure: true },
    );
    // Counts for the closing note of the privacy issue.
    process.stdout.write(
      `[privacy-properties] seed ${setSeed}: events tried ${eventsTried}, messages checked ${messagesChecked} ` +
        `(of which hub-originated ${hubMessagesChecked}), ` +
        `narrowed profiles ${Object.values(narrowing).filter(Boolean).length}, leaks 0\n`,
    );
    expect(messagesChecked).toBeGreaterThan(Math.ceil(RUNS / PROFILE_SETS.length));
    // The seed exercises what the test claims: narrowed profiles and unknown fields.
    expect(Object.values(narrowing).filter(Boolean).length).toBeGreaterThan(3);
    expect(runsWithFutureFields).toBeGreaterThan(0);
  });

  /** The ids these events are stored under: a withdrawn lifecycle, once erased, keeps keyed ones (ADR 0024). */
  function storedIdsOf(events: DetentionEvent[]): string[] {
    const planner = hub.app.get(DeliveryPlanner);
    return [...events.map((e) => e.id), ...events.map((e) => planner.erasedEventId(e.source, e.id))];
  }

  /** Waits until every delivery planned for these events is published and recorded; returns how many. */
  async function waitForAllDeliveries(events: DetentionEvent[]): Promise<number> {
    const eventIds = events.map((e) => e.id);
    const storedIds = storedIdsOf(events);
    const deadline = Date.now() + 30000;
    for (;;) {
      const [{ stored, planned, published }] = await hub.db.query(
        `select (select count(*) from inbound_event where event_id = any($1)) stored,
                count(d.id) planned, count(d.published_at) published
         from inbound_event e left join delivery d on d.inbound_event_id = e.id where e.event_id = any($1)`,
        [storedIds],
      );
      const inProbe = hub.probe.received.filter(
        (m) => isFeedDelivery(m) && eventIds.some((id) => hub.causedBy(m, id)),
      ).length;
      if (
        Number(stored) === eventIds.length &&
        Number(planned) === Number(published) &&
        inProbe === Number(published)
      )
        return Number(published);
      if (Date.now() > deadline) {
        throw new Error(
          `deliveries incomplete: stored ${stored}, planned ${planned}, published ${published}, probed ${inProbe}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

/** An extra personal field (nationality) on events that carry a person. */
function withPerson(e: DetentionEvent): object {
  const person = (e.data as { person?: object }).person;
  return person ? { person: { ...person, nationality: 'NL' } } : {};
}
