import fc from 'fast-check';
import { connect } from 'amqplib';
import { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { CaseRefreshWorker } from '@nazorg/aftercare';
import { AppConfig, BrokerIdentity } from '@nazorg/config';
import {
  Channels,
  CloudEvent,
  ConnectorResultType,
  FeedSource,
  HUB_SOURCE,
  kindOfResultType,
} from '@nazorg/contracts';
import { HubQueues, kafkaDeadLetterTopic, PUBLISHER_HEADER } from '@nazorg/messaging';
import {
  DEMO_TOKENS,
  Events,
  HubHarness,
  newDetentionId,
  eventually,
  testKafka,
  testKafkaConfig,
} from '@nazorg/testing';

/**
 * Issue 9, generative hostile traffic: random mutations of valid feed events and connector results
 * mixed into live valid traffic on HTTP, Kafka, RabbitMQ ingress and `hub.results`, on the real
 * services. Every input is `valid` or `invalid` by construction (never by asking the hub's
 * validator). After each batch, once the hub is quiet: no 5xx, nothing retried for ever (no Kafka
 * lag, empty ingress and results queues), one dead letter with a field-level reason per invalid
 * input and none for a valid one, every valid event delivered to `ops` and its tenant's
 * coordinator, every valid result stored, every case projected, and `GET /health` 200 throughout.
 * Forged headers (attempt counts, "published by", trace context) ride on both brokers. On Kafka,
 * foreign principals (no login, a wrong password, the feed writing a topic of the hub's) are
 * refused by the broker itself (SASL and ACLs, docs/adr/0017): the send fails, the hub never sees
 * the record, and so it is no dead letter; the suite checks nothing of it reached anyone.
 *
 * Seed: `HOSTILE_SEED` or the clock, logged; `HOSTILE_RUNS` batches (default 25, about a minute).
 */
const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 25);
const QUIET_TIMEOUT_MS = 90_000;
const KIB = 1024;

type Channel = 'http' | 'kafka' | 'rabbitmq' | 'results';
const CHANNELS: Channel[] = ['http', 'kafka', 'rabbitmq', 'results'];
const TENANTS = [
  { municipality: '0307', tenant: 'eemland-zuid' },
  { municipality: '1783', tenant: 'westland' },
  { municipality: '0392', tenant: 'haarlem' },
] as const;
type Tenant = (typeof TENANTS)[number];
const FORGED_ATTEMPTS = ['999', '-5', '0', 'NaN', '1e9'];

// ---------------------------------------------------------------------------------------------
// Generated plans (plain data, so fast-check prints a failing batch readably)

type FeedKind = 'screening' | 'releaseScheduled' | 'transferred' | 'released';
/** How a valid event travels: each stays valid by construction. */
type Encoding = 'plain' | 'shuffled' | 'pretty' | 'bom' | 'rtl-name' | 'forged-attempt';
interface StoryPlan {
  channel: Exclude<Channel, 'results'>;
  tenant: number;
  extras: FeedKind[];
  encodings: Encoding[];
  forged: string;
}

type FeedMutation =
  | { m: 'truncate'; at: number }
  | { m: 'wrong-type'; path: number; value: number }
  | { m: 'deep-nesting'; depth: number }
  | { m: 'huge-array'; items: number }
  | { m: 'huge-string'; length: number }
  | { m: 'lone-surrogate'; path: number; high: boolean }
  | { m: 'nul'; path: number }
  | { m: 'unknown-enum'; path: number }
  | { m: 'missing'; path: number }
  | { m: 'duplicate-key'; path: number }
  | { m: 'numeric-time' }
  | { m: 'time-9999' }
  | { m: 'detention-id-dotdot' }
  | { m: 'release-before-start' }
  | { m: 'wrong-content-type'; type: number };
interface FeedAttack {
  channel: Exclude<Channel, 'results'>;
  story: number;
  base: number;
  mutation: FeedMutation;
  forged: string | null;
  position: number;
}

type ResultMutation =
  | { m: 'none' }
  | { m: 'numeric-time' }
  | { m: 'details-null' }
  | { m: 'recipient-ops' }
  | { m: 'recipient-unknown' }
  | { m: 'kind-mismatch' }
  | { m: 'truncate'; at: number }
  | { m: 'missing'; path: number }
  | { m: 'unknown-outcome' }
  | { m: 'unknown-type' }
  | { m: 'lone-surrogate' }
  | { m: 'nul' }
  | { m: 'deep-nesting'; depth: number }
  | { m: 'huge-string'; length: number }
  | { m: 'detention-id-dotdot' }
  | { m: 'time-9999' }
  | { m: 'duplicate-key' };
interface ResultPlan {
  story: number;
  mutation: ResultMutation;
  forged: string | null;
}
/** Kafka clients the broker must refuse (scripts/infra/kafka.sh's SASL and ACLs). */
type ForeignPrincipal = 'no-login' | 'wrong-password' | 'feed-writes-dead-letter-topic';
interface BatchPlan {
  stories: StoryPlan[];
  attacks: FeedAttack[];
  results: ResultPlan[];
  foreign: ForeignPrincipal[];
}

const BASE_KINDS = ['started', 'screening', 'releaseScheduled', 'transferred', 'released'] as const;
type BaseKind = (typeof BASE_KINDS)[number];
/** Leaves each schema requires with a definite type: another type there is always invalid. */
const TYPED_PATHS: Record<BaseKind, [string, 'string' | 'boolean' | 'object'][]> = {
  started: [
    ['id', 'string'],
    ['type', 'string'],
    ['time', 'string'],
    ['subject', 'string'],
    ['data', 'object'],
    ['data.detentionId', 'string'],
    ['data.person', 'object'],
    ['data.person.bsn', 'string'],
    ['data.person.birthDate', 'string'],
    ['data.startedAt', 'string'],
    ['data.municipalityOfOrigin', 'string'],
    ['data.institution.code', 'string'],
    ['data.flags.pga', 'boolean'],
  ],
  screening: [
    ['data.screenedAt', 'string'],
    ['data.consent.zorg', 'boolean'],
    ['data.debts.hasDebts', 'boolean'],
    ['data.care', 'object'],
    ['data.housing.situation', 'string'],
  ],
  releaseScheduled: [
    ['data.expectedReleaseDate', 'string'],
    ['data.detentionId', 'string'],
  ],
  transferred: [
    ['data.transferredAt', 'string'],
    ['data.to', 'object'],
    ['data.from.code', 'string'],
  ],
  released: [
    ['data.releasedAt', 'string'],
    ['data.releaseType', 'string'],
    ['data.supervisionContinues', 'boolean'],
  ],
};
const WRONG_VALUES: Record<'string' | 'boolean' | 'object', unknown[]> = {
  string: [42, true, [1], { a: 1 }, -0.5],
  boolean: ['true', 1, [true], {}, 'yes'],
  object: [42, 'x', [], true],
};
/** Required text leaves: a lone surrogate or NUL in any of them is always invalid. */
const TEXT_PATHS: Record<BaseKind, string[]> = {
  started: ['id', 'subject', 'data.detentionId', 'data.person.givenNames', 'data.institution.name'],
  screening: ['id', 'data.detentionId', 'data.screenedAt'],
  releaseScheduled: ['id', 'data.expectedReleaseDate'],
  transferred: ['id', 'data.to.name'],
  released: ['id', 'data.addressAfterRelease.city'],
};
const ENUM_PATHS: Record<BaseKind, [string, string][]> = {
  started: [
    ['type', 'nl.dji.injus.detention.teleported.v1'],
    ['specversion', '0.3'],
    ['data.legalStatus', 'vrij'],
    ['data.person.gender', 'Q'],
  ],
  screening: [
    ['data.debts.estimatedTotal', 'lots'],
    ['data.identity.documentType', 'library-card'],
  ],
  releaseScheduled: [['type', 'nl.dji.injus.release.cancelled.v1']],
  transferred: [['specversion', '2.0']],
  released: [['data.releaseType', 'escape']],
};
const REQUIRED_PATHS: Record<BaseKind, string[]> = {
  started: [
    'id',
    'source',
    'type',
    'time',
    'subject',
    'specversion',
    'data',
    'data.detentionId',
    'data.legalStatus',
    'data.person.bsn',
    'data.institution',
    'data.startedAt',
    'data.municipalityOfOrigin',
  ],
  screening: ['data.screenedAt', 'data.consent', 'data.care.areas'],
  releaseScheduled: ['data.expectedReleaseDate'],
  transferred: ['data.to', 'data.transferredAt'],
  released: ['data.releasedAt', 'data.releaseType'],
};
/** Keys whose value a second occurrence in the raw text replaces (`JSON.parse` keeps the last). */
const DUPLICATE_KEYS = ['id', 'type', 'subject', 'detentionId'];
const WRONG_CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded'];
const RESULT_REQUIRED = [
  'id',
  'type',
  'source',
  'data',
  'data.detentionId',
  'data.recipientId',
  'data.outcome',
];

const storyArb: fc.Arbitrary<StoryPlan> = fc.record({
  channel: fc.constantFrom('http' as const, 'kafka' as const, 'rabbitmq' as const),
  tenant: fc.nat({ max: TENANTS.length - 1 }),
  extras: fc.subarray<FeedKind>(['screening', 'releaseScheduled', 'transferred', 'released']),
  encodings: fc.array(
    fc.constantFrom<Encoding>('plain', 'shuffled', 'pretty', 'bom', 'rtl-name', 'forged-attempt'),
    {
      minLength: 5,
      maxLength: 5,
    },
  ),
  forged: fc.constantFrom(...FORGED_ATTEMPTS),
});
const feedMutationArb: fc.Arbitrary<FeedMutation> = fc.oneof(
  fc.record({ m: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ m: fc.constant('wrong-type' as const), path: fc.nat(), value: fc.nat() }),
  fc.record({ m: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 1000, max: 6000 }) }),
  // Both sides of the 256 KiB limit: about 4 bytes per item, 1 per character.
  fc.record({ m: fc.constant('huge-array' as const), items: fc.integer({ min: 1000, max: 90_000 }) }),
  fc.record({ m: fc.constant('huge-string' as const), length: fc.integer({ min: 3000, max: 400 * KIB }) }),
  fc.record({ m: fc.constant('lone-surrogate' as const), path: fc.nat(), high: fc.boolean() }),
  fc.record({ m: fc.constant('nul' as const), path: fc.nat() }),
  fc.record({ m: fc.constant('unknown-enum' as const), path: fc.nat() }),
  fc.record({ m: fc.constant('missing' as const), path: fc.nat() }),
  fc.record({ m: fc.constant('duplicate-key' as const), path: fc.nat() }),
  fc.constant({ m: 'numeric-time' as const }),
  fc.constant({ m: 'time-9999' as const }),
  fc.constant({ m: 'detention-id-dotdot' as const }),
  fc.constant({ m: 'release-before-start' as const }),
  fc.record({ m: fc.constant('wrong-content-type' as const), type: fc.nat() }),
);
const attackArb: fc.Arbitrary<FeedAttack> = fc.record({
  channel: fc.constantFrom('http' as const, 'kafka' as const, 'rabbitmq' as const),
  story: fc.nat(),
  base: fc.nat({ max: BASE_KINDS.length - 1 }),
  mutation: feedMutationArb,
  forged: fc.option(fc.constantFrom(...FORGED_ATTEMPTS), { nil: null }),
  position: fc.nat(),
});
const resultMutationArb: fc.Arbitrary<ResultMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ m: 'none' as const }) },
  fc.constant({ m: 'numeric-time' as const }),
  fc.constant({ m: 'details-null' as const }),
  fc.constant({ m: 'recipient-ops' as const }),
  fc.constant({ m: 'recipient-unknown' as const }),
  fc.constant({ m: 'kind-mismatch' as const }),
  fc.record({ m: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ m: fc.constant('missing' as const), path: fc.nat() }),
  fc.constant({ m: 'unknown-outcome' as const }),
  fc.constant({ m: 'unknown-type' as const }),
  fc.constant({ m: 'lone-surrogate' as const }),
  fc.constant({ m: 'nul' as const }),
  fc.record({ m: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 1000, max: 6000 }) }),
  fc.record({ m: fc.constant('huge-string' as const), length: fc.integer({ min: 3000, max: 300 * KIB }) }),
  fc.constant({ m: 'detention-id-dotdot' as const }),
  fc.constant({ m: 'time-9999' as const }),
  fc.constant({ m: 'duplicate-key' as const }),
);
const batchArb: fc.Arbitrary<BatchPlan> = fc.record({
  stories: fc.array(storyArb, { minLength: 1, maxLength: 3 }),
  attacks: fc.array(attackArb, { minLength: 3, maxLength: 10 }),
  results: fc.array(
    fc.record({
      story: fc.nat(),
      mutation: resultMutationArb,
      forged: fc.option(fc.constantFrom(...FORGED_ATTEMPTS), { nil: null }),
    }),
    { minLength: 2, maxLength: 6 },
  ),
  foreign: fc.array(
    fc.constantFrom<ForeignPrincipal>('no-login', 'wrong-password', 'feed-writes-dead-letter-topic'),
    { maxLength: 2 },
  ),
});

// ---------------------------------------------------------------------------------------------
// Building inputs from plans

type Json = Record<string, unknown>;
interface Input {
  channel: Channel;
  valid: boolean;
  what: string;
  text: string;
  /** Kafka key, RabbitMQ routing key. */
  key: string;
  contentType: string;
  token: string;
  headers: Record<string, string>;
  /** Kafka only: sent by a client the broker refuses, never by the feed. */
  foreign?: ForeignPrincipal;
  /** A valid feed event: the recipients that must receive it. */
  event?: { id: string; tenant: Tenant };
  resultId?: string;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
function setPath(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Json = obj;
  for (const k of keys.slice(0, -1)) at = at[k] as Json;
  at[keys[keys.length - 1]] = value;
}
function deletePath(obj: Json, path: string): void {
  const keys = path.split('.');
  let at: Json = obj;
  for (const k of keys.slice(0, -1)) at = at[k] as Json;
  delete at[keys[keys.length - 1]];
}
function getPath(obj: Json, path: string): unknown {
  return path.split('.').reduce<unknown>((at, k) => (at as Json)[k], obj);
}
/** The same object with every object's keys in another order: still the same, valid value. */
function shuffleKeys(value: unknown, salt: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, salt));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Json);
    entries.sort(
      ([a], [b]) => ((a.length * 31 + salt) % 7) - ((b.length * 31 + salt) % 7) || b.localeCompare(a),
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, salt)]));
  }
  return value;
}
/** Inserts `"key":raw` as the first member of `data` in the serialised event. */
const withRawDataField = (text: string, key: string, raw: string) =>
  text.replace('"data":{', `"data":{"${key}":${raw},`);
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const tokenOf = (event: CloudEvent<object>) =>
  event.source === FeedSource.DPAN ? DEMO_TOKENS.dpan : DEMO_TOKENS.injus;

function baseEvent(kind: BaseKind, detentionId: string, tenant: Tenant): CloudEvent<object> {
  switch (kind) {
    case 'started':
      return Events.started(detentionId, { municipalityOfOrigin: tenant.municipality });
    case 'screening':
      return Events.screening(detentionId);
    case 'releaseScheduled':
      return Events.releaseScheduled(detentionId);
    case 'transferred':
      return Events.transferred(detentionId);
    case 'released':
      return Events.released(detentionId);
  }
}

function feedInput(
  channel: Exclude<Channel, 'results'>,
  event: CloudEvent<object>,
  text: string,
  valid: boolean,
  what: string,
  extra: Partial<Input> = {},
): Input {
  return {
    channel,
    valid,
    what,
    text,
    key: channel === 'kafka' ? event.subject : event.type,
    contentType: 'application/cloudevents+json',
    token: tokenOf(event),
    headers: {},
    ...extra,
  };
}

/** A well-formed start of a detention of its own, from a Kafka client the broker must refuse. */
function foreignInput(foreign: ForeignPrincipal, detentionId: string): Input {
  const event = Events.started(detentionId, { municipalityOfOrigin: TENANTS[0].municipality });
  return { ...feedInput('kafka', event, JSON.stringify(event), false, `sent by ${foreign}`), foreign };
}

function storyInputs(plan: StoryPlan, detentionId: string): Input[] {
  const tenant = TENANTS[plan.tenant];
  const events: CloudEvent<object>[] = [
    baseEvent('started', detentionId, tenant),
    ...plan.extras.map((kind) => baseEvent(kind, detentionId, tenant)),
  ];
  return events.map((event, i) => {
    const encoding = plan.encodings[i];
    let value: Json = event as unknown as Json;
    let text = JSON.stringify(value);
    const extra: Partial<Input> = { event: { id: event.id, tenant } };
    if (encoding === 'shuffled') text = JSON.stringify(shuffleKeys(value, i));
    if (encoding === 'pretty') text = JSON.stringify(value, null, 2);
    // RFC 8259 lets a parser ignore a leading byte order mark; it is no part of the value.
    if (encoding === 'bom') text = `\ufeff${text}`;
    if (encoding === 'rtl-name' && i === 0) {
      // Right-to-left marks are ordinary text in a name (Arabic, Hebrew), not a control character.
      value = clone(value);
      setPath(value, 'data.person.givenNames', '\u200fأحمد\u200e Piet');
      text = JSON.stringify(value);
    }
    if (encoding === 'forged-attempt' && plan.channel !== 'http')
      extra.headers = { 'x-nazorg-attempt': plan.forged };
    return feedInput(
      plan.channel,
      event,
      text,
      true,
      `valid ${event.type.split('.')[3]} (${encoding})`,
      extra,
    );
  });
}

function attackInput(attack: FeedAttack, detentionId: string, tenant: Tenant): Input {
  const kind = BASE_KINDS[attack.base];
  const event = { ...baseEvent(kind, detentionId, tenant), id: randomUUID() };
  const value = clone(event) as unknown as Json;
  const mutation = attack.mutation;
  let text: string;
  let what: string = mutation.m;
  const extra: Partial<Input> = {};
  const pick = <T>(list: T[], n: number) => list[n % list.length];
  switch (mutation.m) {
    case 'truncate': {
      // Any proper prefix of an object's text is not JSON: the closing brace is the last character.
      const full = JSON.stringify(value);
      text = full.slice(0, Math.floor(mutation.at * (full.length - 1)));
      what = `truncate at ${text.length}/${full.length}`;
      break;
    }
    case 'wrong-type': {
      const [path, type] = pick(TYPED_PATHS[kind], mutation.path);
      const wrong = pick(WRONG_VALUES[type], mutation.value);
      setPath(value, path, wrong);
      text = JSON.stringify(value);
      what = `wrong type at $.${path} (${JSON.stringify(wrong)})`;
      break;
    }
    case 'deep-nesting':
      text = withRawDataField(JSON.stringify(value), 'x', nested(mutation.depth));
      what = `nesting ${mutation.depth} deep`;
      break;
    case 'huge-array':
      text = withRawDataField(
        JSON.stringify(value),
        'padding',
        `[${Array(mutation.items).fill('"a"').join(',')}]`,
      );
      what = `array of ${mutation.items} items (${Math.round(Buffer.byteLength(text) / KIB)} KiB)`;
      break;
    case 'huge-string': {
      const path = kind === 'started' ? 'data.person.givenNames' : 'data.detentionId';
      setPath(value, path, 'a'.repeat(mutation.length));
      text = JSON.stringify(value);
      what = `string of ${mutation.length} at $.${path} (${Math.round(Buffer.byteLength(text) / KIB)} KiB)`;
      break;
    }
    case 'lone-surrogate': {
      const path = pick(TEXT_PATHS[kind], mutation.path);
      const lone = mutation.high ? '\ud800' : '\udc00';
      // JSON.stringify escapes a lone surrogate as \ud800 (well-formed JSON.stringify).
      setPath(value, path, `${String(getPath(value, path)).slice(0, 8)}${lone}x`);
      text = JSON.stringify(value);
      what = `lone surrogate at $.${path}`;
      break;
    }
    case 'nul': {
      const path = pick(TEXT_PATHS[kind], mutation.path);
      setPath(value, path, `${String(getPath(value, path))}\u0000`);
      text = JSON.stringify(value);
      what = `NUL at $.${path}`;
      break;
    }
    case 'unknown-enum': {
      const [path, wrong] = pick(ENUM_PATHS[kind], mutation.path);
      setPath(value, path, wrong);
      text = JSON.stringify(value);
      what = `unknown enum at $.${path}`;
      break;
    }
    case 'missing': {
      const path = pick(REQUIRED_PATHS[kind], mutation.path);
      deletePath(value, path);
      text = JSON.stringify(value);
      what = `missing $.${path}`;
      break;
    }
    case 'duplicate-key': {
      const key = pick(DUPLICATE_KEYS, mutation.path);
      const full = JSON.stringify(value);
      const needle = `"${key}":`;
      const at = full.indexOf(needle);
      text = `${full.slice(0, at)}"${key}":${JSON.stringify(`DUP-${randomUUID().slice(0, 8)}`)},${full.slice(at)}`;
      what = `duplicate key ${key}`;
      break;
    }
    case 'numeric-time':
      value.time = Date.now();
      text = JSON.stringify(value);
      break;
    case 'time-9999':
      value.time = '9999-12-31T00:00:00Z';
      text = JSON.stringify(value);
      break;
    case 'detention-id-dotdot':
      value.subject = '..';
      (value.data as Json).detentionId = '..';
      text = JSON.stringify(value);
      break;
    case 'release-before-start': {
      const released = {
        ...Events.released(detentionId, { releasedAt: '2000-01-01T00:00:00.000Z' }),
        id: randomUUID(),
      };
      return feedInput(attack.channel, released, JSON.stringify(released), false, 'release in 2000', {
        headers: attack.forged && attack.channel !== 'http' ? { 'x-nazorg-attempt': attack.forged } : {},
      });
    }
    case 'wrong-content-type':
      text = JSON.stringify(value);
      if (attack.channel === 'http') {
        extra.contentType = pick(WRONG_CONTENT_TYPES, mutation.type);
        what = `content type ${extra.contentType}`;
      } else {
        // Brokers carry no HTTP content type: the same idea there is a body that is not JSON at all.
        text = `detentionId=${detentionId}&type=${event.type}`;
        what = 'form-encoded body';
      }
      break;
  }
  if (attack.forged && attack.channel !== 'http') extra.headers = { 'x-nazorg-attempt': attack.forged };
  return feedInput(attack.channel, event, text, false, what, extra);
}

interface Delivery {
  id: string;
  recipientId: string;
}
const RESULT_DETAILS = {
  hasAddressAfterRelease: true,
  addressCheck: 'registered-at-address',
  postalAddressNeeded: false,
};

function resultInput(plan: ResultPlan, detentionId: string, delivery: Delivery): Input {
  const id = randomUUID();
  const value: Json = {
    specversion: '1.0',
    id,
    source: `${HUB_SOURCE}/connectors/brp`,
    type: ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED,
    time: new Date().toISOString(),
    subject: detentionId,
    datacontenttype: 'application/json',
    causationid: delivery.id,
    data: {
      detentionId,
      recipientId: delivery.recipientId,
      outcome: 'completed',
      details: { ...RESULT_DETAILS },
    },
  };
  const data = value.data as Json;
  const m = plan.mutation;
  let text: string | undefined;
  let what: string = m.m === 'none' ? 'valid result' : m.m;
  switch (m.m) {
    case 'none':
      break;
    case 'numeric-time':
      value.time = Date.now();
      break;
    case 'details-null':
      data.details = null;
      break;
    case 'recipient-ops':
      data.recipientId = 'ops';
      break;
    case 'recipient-unknown':
      data.recipientId = 'brp-nowhere';
      break;
    case 'kind-mismatch':
      // A zorg result from the BRP recipient: the recipient's kind does not send this type.
      value.type = ConnectorResultType.ZORG_SUPERVISION_REGISTERED;
      data.details = { supervisingOrganisation: 'reclassering-nederland', trajectId: null };
      break;
    case 'truncate': {
      const full = JSON.stringify(value);
      text = full.slice(0, Math.floor(m.at * (full.length - 1)));
      what = `truncate at ${text.length}/${full.length}`;
      break;
    }
    case 'missing': {
      const path = RESULT_REQUIRED[m.path % RESULT_REQUIRED.length];
      deletePath(value, path);
      what = `missing $.${path}`;
      break;
    }
    case 'unknown-outcome':
      data.outcome = 'maybe';
      break;
    case 'unknown-type':
      value.type = 'nl.nazorghub.result.brp.everything-erased.v1';
      break;
    case 'lone-surrogate':
      (data.details as Json).addressCheck = 'registered\ud800';
      break;
    case 'nul':
      (data.details as Json).addressCheck = 'registered\u0000';
      break;
    case 'deep-nesting':
      text = JSON.stringify(value).replace('"details":{', `"details":{"x":${nested(m.depth)},`);
      what = `nesting ${m.depth} deep`;
      break;
    case 'huge-string':
      (data.details as Json).addressCheck = 'a'.repeat(m.length);
      what = `string of ${m.length}`;
      break;
    case 'detention-id-dotdot':
      value.subject = '..';
      data.detentionId = '..';
      break;
    case 'time-9999':
      value.time = '9999-12-31T00:00:00Z';
      break;
    case 'duplicate-key': {
      const full = JSON.stringify(value);
      text = full.replace('"recipientId":', '"recipientId":"ops","recipientId":');
      break;
    }
  }
  return {
    channel: 'results',
    valid: m.m === 'none',
    what,
    text: text ?? JSON.stringify(value),
    key: ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED,
    contentType: 'application/cloudevents+json',
    token: '',
    headers: plan.forged ? { 'x-nazorg-attempt': plan.forged } : {},
    resultId: m.m === 'none' ? id : undefined,
  };
}

// ---------------------------------------------------------------------------------------------

describe('hostile traffic, generated (real services)', () => {
  let hub: HubHarness;
  let kafka: Kafka;
  let amqp: Awaited<ReturnType<typeof connect>>;
  const deadLetterTopic = kafkaDeadLetterTopic(Channels.KAFKA_INGRESS_TOPIC);
  let kafkaDeadLetterBase = 0;
  const stats = Object.fromEntries(
    CHANNELS.map((c) => [c, { inputs: 0, invalid: 0, fiveXx: 0, stuck: 0, deadLetters: 0, refused: 0 }]),
  ) as Record<
    Channel,
    { inputs: number; invalid: number; fiveXx: number; stuck: number; deadLetters: number; refused: number }
  >;
  const expectedDead: Record<Channel, number> = { http: 0, kafka: 0, rabbitmq: 0, results: 0 };
  const validEvents: { id: string; tenant: Tenant; channel: Channel; what: string }[] = [];
  const validResults: string[] = [];
  const startedDetentions: string[] = [];

  beforeAll(async () => {
    hub = await HubHarness.start({ probe: 'all' });
    kafka = testKafka('hub', { brokers: hub.app.get(AppConfig).KAFKA_BROKERS.split(',') });
    // The broker's operator login (test tools), for queue depths only.
    amqp = await connect(process.env.TEST_AMQP_TOOL_URL as string);
    kafkaDeadLetterBase = await topicEnd(deadLetterTopic);
    console.log(`[hostile] seed ${SEED} (HOSTILE_SEED=${SEED} to replay), ${RUNS} batches`);
  });
  afterAll(async () => {
    await amqp?.close().catch(() => undefined);
    await hub?.stop();
  });

  // --- the only places that publish. RabbitMQ: each as its real publisher's user (docs/adr/0010):
  // a feed event as the user of the source whose token it carries, a result as the connector of
  // its type's kind. A forged attempt count comes with a forged "published by" header: the hub
  // trusts neither from a publisher (a trusted one would refuse these valid events and results).
  async function postHttp(input: Input): Promise<number> {
    const res = await fetch(`${hub.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': input.contentType, authorization: `Bearer ${input.token}` },
      body: input.text,
    });
    await res.arrayBuffer();
    return res.status;
  }
  const forgedHeaders = (input: Input) =>
    input.headers['x-nazorg-attempt'] === undefined
      ? input.headers
      : { ...input.headers, [PUBLISHER_HEADER]: 'nazorg-connector-zorg' };
  // On Kafka a forged attempt count also comes with a forged trace context, which the hub must
  // neither trust nor choke on.
  const publishKafka = (input: Input) =>
    hub.publishKafka(
      input.text,
      input.key,
      input.headers['x-nazorg-attempt'] === undefined
        ? input.headers
        : { ...forgedHeaders(input), traceparent: '00-zzzz-not-a-trace-01' },
    );
  const foreignProducers = new Map<ForeignPrincipal, Producer>();
  const refusal = { retry: { retries: 0 }, connectionTimeout: 3000, requestTimeout: 5000 };
  function foreignProducer(foreign: ForeignPrincipal): Producer {
    const kafkaFor: Record<ForeignPrincipal, () => Kafka> = {
      'no-login': () => testKafka(null, refusal),
      'wrong-password': () =>
        new Kafka({
          ...testKafkaConfig(null, refusal),
          sasl: { mechanism: 'scram-sha-512', username: 'nazorg-feed', password: 'not-the-password' },
        }),
      'feed-writes-dead-letter-topic': () => testKafka('feed', refusal),
    };
    if (!foreignProducers.has(foreign)) foreignProducers.set(foreign, kafkaFor[foreign]().producer());
    return foreignProducers.get(foreign)!;
  }
  /** Resolves with the broker's refusal; a send that gets through is a problem. */
  async function publishForeign(input: Input, problems: string[]): Promise<void> {
    const producer = foreignProducer(input.foreign!);
    const topic =
      input.foreign === 'feed-writes-dead-letter-topic' ? deadLetterTopic : Channels.KAFKA_INGRESS_TOPIC;
    const sent = await producer
      .connect()
      .then(() => producer.send({ topic, acks: -1, messages: [{ key: input.key, value: input.text }] }))
      .then(
        () => true,
        () => false,
      );
    await producer.disconnect().catch(() => undefined);
    if (sent) problems.push(`kafka "${input.what}" was accepted by the broker`);
    else stats.kafka.refused += 1;
  }
  const publishRabbitmq = (input: Input) =>
    hub.publisherAs(input.token === DEMO_TOKENS.dpan ? 'feed-dpan' : 'feed-injus').publish({
      exchange: Channels.RABBITMQ_INGRESS_EXCHANGE,
      routingKey: input.key,
      body: input.text,
      contentType: input.contentType,
      headers: forgedHeaders(input),
    });
  const publishResult = (input: Input) =>
    hub
      .publisherAs(`connector-${kindOfResultType(input.key as ConnectorResultType)}` as BrokerIdentity)
      .publish({
        exchange: Channels.RESULTS_EXCHANGE,
        routingKey: input.key,
        body: input.text,
        contentType: input.contentType,
        headers: forgedHeaders(input),
      });

  async function send(input: Input, problems: string[]): Promise<void> {
    stats[input.channel].inputs += 1;
    if (input.foreign) return publishForeign(input, problems);
    if (!input.valid) {
      stats[input.channel].invalid += 1;
      expectedDead[input.channel] += 1;
    }
    if (input.channel === 'http') {
      const status = await postHttp(input);
      if (status >= 500) stats.http.fiveXx += 1;
      const ok = input.valid ? status === 202 : status >= 400 && status < 500;
      if (!ok) problems.push(`http ${input.valid ? 'valid' : 'invalid'} "${input.what}" answered ${status}`);
    } else if (input.channel === 'kafka') await publishKafka(input);
    else if (input.channel === 'rabbitmq') await publishRabbitmq(input);
    else await publishResult(input);
  }

  // --- what the hub holds
  async function topicEnd(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) return 0;
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  }
  async function kafkaLag(): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = Channels.KAFKA_INGRESS_TOPIC;
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({
        groupId: process.env.KAFKA_GROUP_ID as string,
        topics: [topic],
      });
      return ends.reduce((lag, end) => {
        const at = Number(committed.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
        return lag + Number(end.high) - (at < 0 ? Number(end.low) : at);
      }, 0);
    } finally {
      await admin.disconnect();
    }
  }
  async function queueDepth(queue: string): Promise<number> {
    const channel = await amqp.createChannel();
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
  const waiting = async () => ({
    kafkaLag: await kafkaLag(),
    ingress: (await queueDepth(HubQueues.INGRESS)) + (await queueDepth(HubQueues.retry(HubQueues.INGRESS))),
    results: (await queueDepth(HubQueues.RESULTS)) + (await queueDepth(HubQueues.retry(HubQueues.RESULTS))),
  });
  async function deadLetterCounts(): Promise<Record<Channel, number>> {
    const rows: { channel: string; count: string }[] = await hub.db.query(
      `select channel, count(*) from dead_letter group by channel`,
    );
    const table = (c: string) => Number(rows.find((r) => r.channel === c)?.count ?? 0);
    return {
      http: table('http'),
      kafka: table('kafka') + (await topicEnd(deadLetterTopic)) - kafkaDeadLetterBase,
      rabbitmq: table('rabbitmq') + (await queueDepth(HubQueues.dead(HubQueues.INGRESS))),
      results: table('results') + (await queueDepth(HubQueues.dead(HubQueues.RESULTS))),
    };
  }
  async function health(): Promise<number> {
    const res = await fetch(`${hub.url}/health`);
    await res.arrayBuffer();
    return res.status;
  }
  const delivered = (id: string, recipientId: string) =>
    hub.probe.received.some((m) => m.recipientId === recipientId && hub.causedBy(m, id));
  const undelivered = () =>
    validEvents.flatMap((e) =>
      ['ops', `coordinator-${e.tenant.tenant}`]
        .filter((r) => !delivered(e.id, r))
        .map((r) => `${e.channel} ${e.what} → ${r}`),
    );
  async function unstoredResults(): Promise<string[]> {
    if (validResults.length === 0) return [];
    const rows: { event_id: string }[] = await hub.db.query(
      `select event_id from connector_result where event_id = any($1)`,
      [validResults],
    );
    return validResults.filter((id) => !rows.some((r) => r.event_id === id));
  }
  async function unprojected(): Promise<string[]> {
    const cases: { detention_id: string }[] = await hub.db.query(
      `select detention_id from aftercare_case where detention_id = any($1)`,
      [startedDetentions],
    );
    const pending: { detention_id: string }[] = await hub.db.query(
      `select detention_id from case_refresh where detention_id = any($1)`,
      [startedDetentions],
    );
    return [
      ...startedDetentions
        .filter((id) => !cases.some((c) => c.detention_id === id))
        .map((id) => `no case: ${id}`),
      ...pending.map((p) => `refresh pending: ${p.detention_id}`),
    ];
  }

  /** Everything the batch should come to, or (on timeout) what is still missing. */
  async function quietState(): Promise<string[]> {
    const left = await waiting();
    const dead = await deadLetterCounts();
    return [
      ...(left.kafkaLag ? [`kafka lag ${left.kafkaLag}`] : []),
      ...(left.ingress ? [`${left.ingress} in the RabbitMQ ingress queues`] : []),
      ...(left.results ? [`${left.results} in the results queues`] : []),
      ...CHANNELS.filter((c) => dead[c] < expectedDead[c]).map(
        (c) => `${c}: ${dead[c]} dead letters of ${expectedDead[c]} invalid inputs`,
      ),
      ...undelivered()
        .slice(0, 10)
        .map((u) => `undelivered: ${u}`),
      ...(await unstoredResults()).map((id) => `valid result not stored: ${id}`),
      ...(await unprojected()).slice(0, 10),
    ];
  }

  /** The summary's numbers: what is still in flight per channel, and the dead letters so far. */
  async function recordStuckAndDead(): Promise<void> {
    const left = await waiting();
    stats.kafka.stuck = left.kafkaLag;
    stats.rabbitmq.stuck = left.ingress;
    stats.results.stuck = left.results;
    const dead = await deadLetterCounts();
    for (const c of CHANNELS) stats[c].deadLetters = dead[c];
  }

  it(
    'keeps every invariant under random hostile inputs mixed into valid traffic on all four channels',
    async () => {
      await fc.assert(
        fc.asyncProperty(batchArb, async (plan) => {
          const problems: string[] = [];
          if ((await health()) !== 200) problems.push('GET /health not 200 before the batch');

          // 1. Feed: valid stories (a new detention each) with attacks on the same detentions and keys.
          const stories = plan.stories.map((story) => ({ story, detentionId: newDetentionId() }));
          const valid = stories.flatMap(({ story, detentionId }) => storyInputs(story, detentionId));
          const attacks = plan.attacks.map((attack) => {
            const { story, detentionId } = stories[attack.story % stories.length];
            return {
              at: attack.position % (valid.length + 1),
              input: attackInput(attack, detentionId, TENANTS[story.tenant]),
            };
          });
          // A release dated before the start contradicts the start only once the start is known.
          // Sent before it, the hub stores the release and then refuses the genuine start as "after
          // the release recorded" (seen on Kafka with seed 42), which this suite cannot call valid or
          // invalid by construction. So these go in phase 2, after the starts were delivered, as
          // the issue's row has it ("for a detention that started today").
          const late = attacks.filter((a) => a.input.what === 'release in 2000').map((a) => a.input);
          const feed = [...valid];
          for (const { at, input } of [...attacks].sort((a, b) => b.at - a.at))
            if (!late.includes(input)) feed.splice(at, 0, input);
          for (const input of feed) {
            await send(input, problems);
            if (input.valid && input.event)
              validEvents.push({ ...input.event, channel: input.channel, what: input.what });
          }
          startedDetentions.push(...stories.map((s) => s.detentionId));
          const foreign = plan.foreign.map((f) => foreignInput(f, newDetentionId()));
          for (const input of foreign) await send(input, problems);

          // 2. Results answer the BRP deliveries of this batch's starts (a result needs a delivery).
          await eventually(
            () =>
              stories.every((s) =>
                hub.probe.about(s.detentionId).some((m) => m.recipientId.startsWith('brp-')),
              ),
            QUIET_TIMEOUT_MS,
            async () => `the BRP deliveries of this batch's starts (${(await quietState()).join('; ')})`,
          );
          for (const input of late) await send(input, problems);
          for (const result of plan.results) {
            const { detentionId } = stories[result.story % stories.length];
            const brp = hub.probe.about(detentionId).find((m) => m.recipientId.startsWith('brp-'))!;
            const input = resultInput(result, detentionId, {
              id: brp.event.id,
              recipientId: brp.recipientId,
            });
            await send(input, problems);
            if (input.resultId) validResults.push(input.resultId);
          }

          // 3. Quiescence, then the invariants.
          try {
            await eventually(
              async () => {
                await hub.app.get(CaseRefreshWorker).drain();
                return (await quietState()).length === 0;
              },
              QUIET_TIMEOUT_MS,
              async () => `quiescence: ${(await quietState()).join('; ')}`,
            );
            // Nothing still cycling: the queues stay empty and no further dead letter appears.
            await new Promise((r) => setTimeout(r, 1000));
          } catch (error) {
            problems.push((error as Error).message);
            throw new Error(problems.join('\n'), { cause: error });
          } finally {
            await recordStuckAndDead();
          }
          // What the broker refused never reached the hub, so no one heard of its detention.
          for (const input of foreign)
            if (hub.probe.about(input.key).length > 0)
              problems.push(`kafka "${input.what}" reached a recipient`);
          const still = await waiting();
          if (still.kafkaLag || still.ingress || still.results)
            problems.push(`still in flight: ${JSON.stringify(still)}`);
          const dead = await deadLetterCounts();
          for (const c of CHANNELS) {
            if (dead[c] !== expectedDead[c])
              problems.push(`${c}: ${dead[c]} dead letters for ${expectedDead[c]} invalid inputs`);
          }
          const reasonless: { channel: string; violations: { path: string }[] }[] = await hub.db.query(
            `select channel, violations from dead_letter
            where not exists (select 1 from jsonb_array_elements(violations) v where v->>'path' like '$%')`,
          );
          for (const r of reasonless)
            problems.push(
              `${r.channel} dead letter without a field-level reason: ${JSON.stringify(r.violations)}`,
            );
          if ((await health()) !== 200) problems.push('GET /health not 200 after the batch');
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: 1 },
      );
    },
    15 * 60_000,
  );

  afterAll(() => {
    const left = { ...stats };
    for (const c of CHANNELS) {
      const s = left[c];
      console.log(
        `[hostile] ${c}: inputs ${s.inputs} (invalid ${s.invalid}), 5xx ${s.fiveXx}, stuck ${s.stuck}, dead letters ${s.deadLetters}` +
          (s.refused ? `, refused by the broker ${s.refused}` : ''),
      );
    }
  });
});
