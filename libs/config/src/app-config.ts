import 'reflect-metadata';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsIP,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { BROKER_IDENTITIES, BrokerIdentity, demoAmqpLogin, identityKey } from './broker-identity';
import { ConfigError } from './config-error';
import { validateInto } from './validate-into';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'boolean'
      ? value
      : value === 'true' || value === '1';

const DEMO_DATA_KEY_ID = 'demo-2026';
/** Local development only: a production start refuses it. */
const DEMO_DATA_KEY = 'tWGdITfm1PYSXmvIRQeNsSYyjl9+NJLoQ5I38bDcYoo=';

/**
 * The process configuration, from environment variables (README lists them). Every key has a
 * local default matching CONTRACT section 5, so `npm start` needs no set-up; a production start
 * (NAZORG_ENV=production) refuses the demo credentials.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production']) NAZORG_ENV = 'development';
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL = 'log';

  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://nazorg:nazorg@localhost:5432/nazorg';
  @Transform(toInt) @IsInt() @Min(1) @Max(100) DATABASE_POOL_SIZE = 10;

  /**
   * The broker and virtual host. A login in the URL is this process's own; without one, the process
   * connects as its broker identity (AMQP_USER_<APP> / AMQP_PASSWORD_<APP>; local demo logins).
   */
  @Matches(/^amqps?:\/\//, { message: 'must be an amqp:// URL' })
  AMQP_URL = 'amqp://localhost:5672';
  /** RabbitMQ user names per app: the hub checks a message's validated user_id against them. */
  @IsString() @IsNotEmpty() AMQP_USER_HUB = demoAmqpLogin('hub').user;
  @IsString() @IsNotEmpty() AMQP_USER_OPS = demoAmqpLogin('ops').user;
  @IsString() @IsNotEmpty() AMQP_USER_FEED_INJUS = demoAmqpLogin('feed-injus').user;
  @IsString() @IsNotEmpty() AMQP_USER_FEED_DPAN = demoAmqpLogin('feed-dpan').user;
  @IsString() @IsNotEmpty() AMQP_USER_CONNECTOR_BRP = demoAmqpLogin('connector-brp').user;
  @IsString() @IsNotEmpty() AMQP_USER_CONNECTOR_INCOME = demoAmqpLogin('connector-income').user;
  @IsString() @IsNotEmpty() AMQP_USER_CONNECTOR_SCHULDHULP = demoAmqpLogin('connector-schuldhulp').user;
  @IsString() @IsNotEmpty() AMQP_USER_CONNECTOR_ZORG = demoAmqpLogin('connector-zorg').user;
  /** Each process needs only its own password (the demo ones outside production). */
  @IsString() AMQP_PASSWORD_HUB = demoAmqpLogin('hub').password;
  @IsString() AMQP_PASSWORD_OPS = demoAmqpLogin('ops').password;
  @IsString() AMQP_PASSWORD_FEED_INJUS = demoAmqpLogin('feed-injus').password;
  @IsString() AMQP_PASSWORD_FEED_DPAN = demoAmqpLogin('feed-dpan').password;
  @IsString() AMQP_PASSWORD_CONNECTOR_BRP = demoAmqpLogin('connector-brp').password;
  @IsString() AMQP_PASSWORD_CONNECTOR_INCOME = demoAmqpLogin('connector-income').password;
  @IsString() AMQP_PASSWORD_CONNECTOR_SCHULDHULP = demoAmqpLogin('connector-schuldhulp').password;
  @IsString() AMQP_PASSWORD_CONNECTOR_ZORG = demoAmqpLogin('connector-zorg').password;
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) AMQP_PREFETCH = 32;

  @Matches(/^[^\s,]+(,[^\s,]+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS = 'localhost:9092';
  /**
   * Kafka authentication of this process: SASL mechanism (`none` only outside production) and its
   * principal's login. ACLs per principal are the broker's (docs/adr/0010).
   */
  @IsIn(['none', 'plain', 'scram-sha-256', 'scram-sha-512']) KAFKA_SASL_MECHANISM = 'none';
  @IsString() KAFKA_SASL_USERNAME = '';
  @IsString() KAFKA_SASL_PASSWORD = '';
  @IsString() @IsNotEmpty() KAFKA_GROUP_ID = 'nazorg-hub';
  @IsString() @IsNotEmpty() KAFKA_CLIENT_ID = 'nazorg-hub';
  /**
   * The hub's consumer group session (ms): a member that stops heartbeating (a killed hub) holds
   * its partitions this long before the group moves them, which is how long a restarted hub's
   * Kafka ingress waits (HTTP ingest does not wait for it, ADR 0019). The broker accepts 6000 to
   * 300000 by default (group.min/max.session.timeout.ms).
   */
  @Transform(toInt) @IsInt() @Min(6000) @Max(300000) KAFKA_SESSION_TIMEOUT_MS = 10000;
  /** Heartbeats to the group coordinator (ms); at most a third of KAFKA_SESSION_TIMEOUT_MS. */
  @Transform(toInt) @IsInt() @Min(100) @Max(100000) KAFKA_HEARTBEAT_INTERVAL_MS = 1000;
  /**
   * A graceful stop (SIGTERM) waits this long (ms) for in-flight messages before it returns the
   * rest to their broker (RabbitMQ requeues them, Kafka offsets stay uncommitted). Whatever
   * hangs, the hub's process exits at the latest 10 s after the signal (apps/hub/src/main.ts).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(60000) SHUTDOWN_DRAIN_MS = 5000;

  @Transform(toBool) @IsBoolean() INGRESS_KAFKA_ENABLED = true;
  @Transform(toBool) @IsBoolean() INGRESS_RABBITMQ_ENABLED = true;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535) HUB_HTTP_PORT = 3000;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) OPS_HTTP_PORT = 3001;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) EXTERNAL_MOCKS_PORT = 4000;
  /**
   * The address every HTTP listener binds (hub, ops, mocks, the connectors' and feed's /metrics):
   * loopback on a laptop, `0.0.0.0` in a container so that probes and other pods reach it.
   */
  @IsIP(undefined, { message: 'must be an IP address such as 127.0.0.1 or 0.0.0.0' })
  LISTEN_ADDRESS = '127.0.0.1';

  @IsString() @IsNotEmpty() TENANTS_FILE = 'config/tenants.demo.yaml';

  /** HTTP ingest credentials, one per feed source (CONTRACT section 2). */
  @IsString() @MinLength(12) INGEST_TOKEN_INJUS = 'demo-injus-token';
  @IsString() @MinLength(12) INGEST_TOKEN_DPAN = 'demo-dpan-token';
  /** Operations API: the operator token, and coordinator tokens as `tenant=token,tenant=token`. */
  @IsString() @MinLength(12) OPS_OPERATOR_TOKEN = 'demo-operator-token';
  @IsString() OPS_COORDINATOR_TOKENS = '';
  /**
   * Secret the keyed ids are derived from (HKDF-SHA256, one key per purpose, ADR 0023): the
   * pseudonyms operations see instead of identifiers, the hub's keyed UUIDs, the person index.
   */
  @IsString() @MinLength(16) PSEUDONYM_KEY = 'demo-pseudonym-key-not-for-production';
  /**
   * Earlier PSEUDONYM_KEY values, comma-separated (each at least 16 characters): new rows use
   * PSEUDONYM_KEY only; lookups of what was written before a rotation (erased detentions, person
   * index) try these too. Drop one once the longest retention period has passed since it was retired
   * (docs/install.md).
   */
  @IsString() PSEUDONYM_PREVIOUS_KEYS = '';
  /**
   * Keys that encrypt personal data at rest (AES-256-GCM), as `id:base64-of-32-bytes` pairs, and the
   * id of the one that seals new data. Rotation: add a key, make it DATA_KEY_ID, restart; the hub
   * re-seals older values; remove the old key once ops shows none left under it (docs/adr/0008).
   */
  @Matches(/^[A-Za-z0-9._-]+:[A-Za-z0-9+/]+=*(,[A-Za-z0-9._-]+:[A-Za-z0-9+/]+=*)*$/, {
    message: 'must be comma-separated id:base64 pairs',
  })
  DATA_KEYS = `${DEMO_DATA_KEY_ID}:${DEMO_DATA_KEY}`;
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'must be a key id from DATA_KEYS' }) DATA_KEY_ID =
    DEMO_DATA_KEY_ID;
  /** Rejected inputs keep their payload (for replay) this long; their reasons stay. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650) DEAD_LETTER_RETENTION_DAYS = 90;
  /**
   * How long the Kafka topics the hub declares (the feed's ingress topic, the DPAN answers) keep
   * records: long enough to catch up after an outage over a long weekend, not the broker's week.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(2160) KAFKA_TOPIC_RETENTION_HOURS = 96;
  /** How often (minutes) the hub looks for data to re-seal under DATA_KEY_ID and for retention to purge. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1440) HOUSEKEEPING_INTERVAL_MIN = 15;
  /**
   * Housekeeping (retention, aftercare scan, re-sealing; ops: the monitor) runs in one instance of
   * each app, the holder of a PostgreSQL advisory lock (ADR 0019). Every other instance tries to
   * take it this often (ms), so one takes over within about this time when the leader is gone.
   */
  @Transform(toInt) @IsInt() @Min(100) @Max(600000) LEADER_RETRY_MS = 5000;

  /** Base URLs of the external systems the connectors call (mocked locally by apps/external-mocks). */
  @Matches(/^https?:\/\//) BRP_API_URL = 'http://localhost:4000/haalcentraal/api/brp';
  @Matches(/^https?:\/\//) SUWINET_API_URL = 'http://localhost:4000/suwinet';
  @Matches(/^https?:\/\//) SCHULDHULP_API_URL = 'http://localhost:4000/schuldhulp';
  @Matches(/^https?:\/\//) ZORG_API_URL = 'http://localhost:4000/zorg';
  @Transform(toInt) @IsInt() @Min(100) @Max(120000) CONNECTOR_HTTP_TIMEOUT_MS = 5000;

  /** Retries of a failed recipient delivery before it is dead-lettered, and the first back-off. */
  @Transform(toInt) @IsInt() @Min(0) @Max(50) DELIVERY_MAX_RETRIES = 20;
  @Transform(toInt) @IsInt() @Min(10) @Max(600000) DELIVERY_RETRY_BASE_MS = 1000;
  @Transform(toInt) @IsInt() @Min(10) @Max(60000) OUTBOX_POLL_MS = 1000;
  /** Kafka ingress records of one partition stored in one transaction (1: each on its own). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) KAFKA_INGRESS_BATCH_SIZE = 100;
  /** Outbox rows one relay pass claims, and the passes each hub runs side by side (ADR 0022). */
  @Transform(toInt) @IsInt() @Min(1) @Max(5000) OUTBOX_BATCH_SIZE = 200;
  @Transform(toInt) @IsInt() @Min(1) @Max(32) OUTBOX_RELAY_CONCURRENCY = 3;
  /**
   * How long a claimed outbox row is the claiming relay's (at least twice CONNECTOR_HTTP_TIMEOUT_MS
   * plus a second, whatever this says); a relay that died leaves its rows to the others after it.
   */
  @Transform(toInt) @IsInt() @Min(1000) @Max(3600000) OUTBOX_CLAIM_LEASE_MS = 10000;
  /**
   * Test hook of the fault suite (test/faults): the relay waits this long between claiming a batch
   * of stored deliveries and publishing it, so a hub can be killed exactly in between. 0: off.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(60000) OUTBOX_PUBLISH_DELAY_MS = 0;
  /**
   * Webhook hosts that may resolve to a private, loopback or link-local address (comma-separated
   * host names or IP literals). Every other webhook URL that resolves there is refused, at connect
   * time too (no DNS rebinding). Unset outside production: the local mocks' `localhost,127.0.0.1,::1`.
   */
  @Matches(/^([^\s,]+(,[^\s,]+)*)?$/, { message: 'must be a comma-separated list of host names or IPs' })
  WEBHOOK_ALLOWED_PRIVATE_HOSTS = '';
  /**
   * Attempts of a hub input (a feed event on Kafka or RabbitMQ, a result on hub.results) that keeps
   * failing on its content before it is kept as a replayable dead letter (or, when even that fails,
   * put on the broker's dead-letter topic or queue), so it never holds up the traffic behind it.
   * Infrastructure failures (the database away) retry without limit (docs/adr/0013).
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) INGRESS_CONTENT_FAILURE_ATTEMPTS = 5;
  /** Attempts of a case projection that fails on its data before the case is parked for operations. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) CASE_PROJECTION_MAX_ATTEMPTS = 5;
  /** Key of the HMAC that signs the AMQP adapter's attempt count, so no publisher can forge it. */
  @IsString() @MinLength(16) RETRY_COUNTER_KEY = 'demo-retry-counter-key-not-for-production';

  /** Monitoring (docs/adr/0012): a channel with a backlog that has not moved this long is stuck. */
  @Transform(toInt) @IsInt() @Min(1) @Max(86400) CHANNEL_STUCK_AFTER_SECONDS = 120;
  /** How often the ops app samples the channels and evaluates incidents. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600000) MONITOR_INTERVAL_MS = 10000;
  /** A recipient is failing once one of its pending deliveries failed this many attempts in a row. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) RECIPIENT_FAILING_AFTER_ATTEMPTS = 5;
  /** Where incidents go (POST JSON, signed with ALERT_WEBHOOK_SECRET if set); empty: recorded only. */
  @Matches(/^(https?:\/\/.*)?$/, { message: 'must be an http(s) URL or empty' }) ALERT_WEBHOOK_URL = '';
  @IsString() ALERT_WEBHOOK_SECRET = '';
  /** Every app writes its heartbeat row this often; healthy = a heartbeat within 3 intervals. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600000) HEARTBEAT_INTERVAL_MS = 10000;

  /**
   * Observability (docs/adr/0016): the /metrics listeners of the apps without an HTTP server (on
   * 127.0.0.1; 0 picks a free port), and where traces go over OTLP/HTTP (unset: tracing off).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) FEED_METRICS_PORT = 9470;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) CONNECTOR_BRP_METRICS_PORT = 9471;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) CONNECTOR_INCOME_METRICS_PORT = 9472;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) CONNECTOR_SCHULDHULP_METRICS_PORT = 9473;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) CONNECTOR_ZORG_METRICS_PORT = 9474;
  /**
   * How often (ms) each app samples its event loop delay for /metrics (`nodejs_eventloop_lag_*`):
   * a stall longer than this is always seen. prom-client's 10 ms cost an idle app 0.4 % of a core.
   */
  @Transform(toInt) @IsInt() @Min(10) @Max(10000) METRICS_EVENT_LOOP_RESOLUTION_MS = 1000;
  @Matches(/^(https?:\/\/\S+)?$/, { message: 'must be an http(s):// URL or empty' })
  OTEL_EXPORTER_OTLP_ENDPOINT = '';
  /** Only OTLP/HTTP with JSON is installed (@opentelemetry/exporter-trace-otlp-http). */
  @IsIn(['http/json']) OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';

  /** DATA_KEYS parsed into key id → 32-byte key (validated by loadAppConfig). */
  dataKeys(): Map<string, Buffer> {
    return new Map(
      this.DATA_KEYS.split(',').map((pair) => {
        const [id, key] = pair.split(':');
        return [id, Buffer.from(key, 'base64')] as const;
      }),
    );
  }

  /** The RabbitMQ user name of an identity (for the hub's publisher checks). */
  amqpUser(identity: BrokerIdentity): string {
    return this[`AMQP_USER_${identityKey(identity)}` as keyof AppConfig] as string;
  }

  /** The login `identity` connects with: AMQP_URL's own if it has one, else the identity's. */
  amqpLogin(identity: BrokerIdentity): { user: string; password: string } {
    const url = new URL(this.AMQP_URL);
    if (url.username)
      return { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    return {
      user: this.amqpUser(identity),
      password: this[`AMQP_PASSWORD_${identityKey(identity)}` as keyof AppConfig] as string,
    };
  }

  /** AMQP_URL with the login of `identity`. */
  amqpUrl(identity: BrokerIdentity): string {
    const url = new URL(this.AMQP_URL);
    const login = this.amqpLogin(identity);
    url.username = encodeURIComponent(login.user);
    url.password = encodeURIComponent(login.password);
    return url.toString();
  }

  /** WEBHOOK_ALLOWED_PRIVATE_HOSTS as a set of lower-case host names and IP literals. */
  webhookAllowedPrivateHosts(): Set<string> {
    return new Set(
      this.WEBHOOK_ALLOWED_PRIVATE_HOSTS.split(',')
        .map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/^\[|\]$/g, ''),
        )
        .filter(Boolean),
    );
  }

  /** The earlier pseudonym secrets (PSEUDONYM_PREVIOUS_KEYS), in their configured order. */
  pseudonymPreviousKeys(): string[] {
    return this.PSEUDONYM_PREVIOUS_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  }

  /** Coordinator tokens parsed into tenant → token. */
  coordinatorTokens(): Map<string, string> {
    return parseTokenMap(this.OPS_COORDINATOR_TOKENS);
  }
}

export const DEMO_SECRETS: Partial<Record<keyof AppConfig, string>> = {
  INGEST_TOKEN_INJUS: 'demo-injus-token',
  INGEST_TOKEN_DPAN: 'demo-dpan-token',
  OPS_OPERATOR_TOKEN: 'demo-operator-token',
  PSEUDONYM_KEY: 'demo-pseudonym-key-not-for-production',
  RETRY_COUNTER_KEY: 'demo-retry-counter-key-not-for-production',
};

const LOCAL_WEBHOOK_HOSTS = 'localhost,127.0.0.1,::1';

const ENV_KEYS = Object.keys(new AppConfig()) as (keyof AppConfig)[];

/** Reads and validates the configuration; throws a ConfigError naming each bad key. */
export function loadAppConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const plain: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[key];
    if (value !== undefined) plain[key] = value;
  }
  // The local mocks listen on loopback: allowed by default only outside production.
  if (env.WEBHOOK_ALLOWED_PRIVATE_HOSTS === undefined && plain.NAZORG_ENV !== 'production')
    plain.WEBHOOK_ALLOWED_PRIVATE_HOSTS = LOCAL_WEBHOOK_HOSTS;
  const config = validateInto(AppConfig, plain, 'environment');
  const keyProblems = [
    ...dataKeyProblems(config),
    ...previousPseudonymKeyProblems(config),
    ...kafkaGroupProblems(config),
  ];
  if (keyProblems.length) throw new ConfigError('environment', keyProblems);
  if (config.NAZORG_ENV === 'production') {
    // Only the process's own broker password is needed; the others' demo defaults must not be used.
    for (const identity of BROKER_IDENTITIES) {
      const key = `AMQP_PASSWORD_${identityKey(identity)}` as const;
      if (env[key] === undefined) (config as unknown as Record<string, string>)[key] = '';
    }
    const problems = productionProblems(config);
    if (problems.length) throw new ConfigError('environment', problems);
  }
  return config;
}

/** Secrets of a production start: at least this long (a guessable token is no credential). */
const MIN_PRODUCTION_SECRET_LENGTH = 24;
const PRODUCTION_SECRETS = [
  'INGEST_TOKEN_INJUS',
  'INGEST_TOKEN_DPAN',
  'OPS_OPERATOR_TOKEN',
  'PSEUDONYM_KEY',
  'RETRY_COUNTER_KEY',
] as const;
/** The local defaults of CONTRACT section 5, which a production broker or database must not accept. */
const LOCAL_DEFAULT_LOGINS: Partial<Record<keyof AppConfig, string>> = {
  DATABASE_URL: 'nazorg:nazorg',
  AMQP_URL: 'guest:guest',
};

/**
 * What a production start refuses, each naming its key and never the value: a demo value in any
 * secret's place (not only its own), a short secret, one secret serving two roles (a coordinator
 * token equal to the operator's would grant both), the demo data key, missing coordinator tokens,
 * and the local default logins of PostgreSQL and RabbitMQ.
 */
function productionProblems(config: AppConfig): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const demoValues = new Set(Object.values(DEMO_SECRETS));
  const isDemo = (value: string) => demoValues.has(value) || /^demo-/i.test(value);
  const secrets: { key: string; value: string }[] = [
    ...PRODUCTION_SECRETS.map((key) => ({ key, value: config[key] })),
    ...[...config.coordinatorTokens()].map(([tenant, value]) => ({
      key: `OPS_COORDINATOR_TOKENS (${tenant})`,
      value,
    })),
  ];
  for (const { key, value } of secrets) {
    if (isDemo(value)) problems.push({ key, message: 'a production start refuses the demo credential' });
    else if (value.length < MIN_PRODUCTION_SECRET_LENGTH)
      problems.push({
        key,
        message: `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
      });
  }
  secrets.forEach(({ key, value }, i) => {
    const first = secrets.findIndex((other) => other.value === value);
    if (first < i) problems.push({ key, message: `must differ from ${secrets[first].key}` });
  });
  if (config.coordinatorTokens().size === 0)
    problems.push({ key: 'OPS_COORDINATOR_TOKENS', message: 'set real coordinator tokens' });
  if (config.dataKeys().has(DEMO_DATA_KEY_ID) || config.DATA_KEYS.includes(DEMO_DATA_KEY))
    problems.push({ key: 'DATA_KEYS', message: 'a production start refuses the demo data key' });
  for (const [key, login] of Object.entries(LOCAL_DEFAULT_LOGINS) as [keyof AppConfig, string][]) {
    const url = new URL(String(config[key]));
    if (`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` === login)
      problems.push({ key, message: 'a production start refuses the local default login' });
  }
  problems.push(...amqpLoginProblems(config));
  if (config.KAFKA_SASL_MECHANISM === 'none')
    problems.push({
      key: 'KAFKA_SASL_MECHANISM',
      message: 'a production start refuses an unauthenticated Kafka',
    });
  else {
    if (!config.KAFKA_SASL_USERNAME) problems.push({ key: 'KAFKA_SASL_USERNAME', message: 'must be set' });
    if (/^demo-/i.test(config.KAFKA_SASL_PASSWORD))
      problems.push({
        key: 'KAFKA_SASL_PASSWORD',
        message: 'a production start refuses the demo credential',
      });
    else if (config.KAFKA_SASL_PASSWORD.length < MIN_PRODUCTION_SECRET_LENGTH)
      problems.push({
        key: 'KAFKA_SASL_PASSWORD',
        message: `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
      });
  }
  return problems;
}

/**
 * RabbitMQ logins a production start refuses: guest (whatever its password), demo passwords, in
 * AMQP_URL or in any app's own keys, and one user name for two roles (the hub's user could then
 * speak for the feed or a connector). The two feed sources may share one user.
 */
function amqpLoginProblems(config: AppConfig): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const url = new URL(config.AMQP_URL);
  // guest:guest itself is reported as the local default login above.
  if (decodeURIComponent(url.username) === 'guest' && decodeURIComponent(url.password) !== 'guest')
    problems.push({ key: 'AMQP_URL', message: 'a production start refuses the guest login' });
  if (/^demo-/i.test(decodeURIComponent(url.password)))
    problems.push({ key: 'AMQP_URL', message: 'a production start refuses the demo credential' });
  const users = new Map<string, string>();
  for (const identity of BROKER_IDENTITIES) {
    const suffix = identityKey(identity);
    const user = config.amqpUser(identity);
    const password = config[`AMQP_PASSWORD_${suffix}` as keyof AppConfig] as string;
    if (user === 'guest')
      problems.push({ key: `AMQP_USER_${suffix}`, message: 'a production start refuses the guest login' });
    if (/^demo-/i.test(password) || password === 'guest')
      problems.push({
        key: `AMQP_PASSWORD_${suffix}`,
        message: 'a production start refuses the demo credential',
      });
    const role = identity.startsWith('feed-') ? 'feed' : identity;
    const other = users.get(user);
    if (other !== undefined && other !== role)
      problems.push({ key: `AMQP_USER_${suffix}`, message: "must differ from the other apps' users" });
    users.set(user, role);
  }
  return problems;
}

/** kafkajs needs a few heartbeats per session, or a busy member is taken for a dead one. */
function kafkaGroupProblems(config: AppConfig): { key: string; message: string }[] {
  return config.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > config.KAFKA_SESSION_TIMEOUT_MS
    ? [{ key: 'KAFKA_HEARTBEAT_INTERVAL_MS', message: 'must be at most a third of KAFKA_SESSION_TIMEOUT_MS' }]
    : [];
}

function dataKeyProblems(config: AppConfig): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const ids = config.DATA_KEYS.split(',').map((pair) => pair.split(':')[0]);
  if (new Set(ids).size !== ids.length)
    problems.push({ key: 'DATA_KEYS', message: 'a key id appears twice' });
  for (const [id, key] of config.dataKeys()) {
    if (key.length !== 32)
      problems.push({ key: 'DATA_KEYS', message: `key ${id} must be 32 bytes (base64)` });
  }
  if (!config.dataKeys().has(config.DATA_KEY_ID))
    problems.push({ key: 'DATA_KEY_ID', message: 'must name a key in DATA_KEYS' });
  return problems;
}

/** Each earlier pseudonym secret as long as PSEUDONYM_KEY must be; named by position, never by value. */
function previousPseudonymKeyProblems(config: AppConfig): { key: string; message: string }[] {
  return config
    .pseudonymPreviousKeys()
    .flatMap((key, i) =>
      key.length < 16
        ? [{ key: 'PSEUDONYM_PREVIOUS_KEYS', message: `key ${i + 1} must be at least 16 characters` }]
        : [],
    );
}

export function parseTokenMap(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [tenant, token] = pair.split('=');
    if (!tenant || !token) {
      throw new ConfigError('environment', [
        { key: 'OPS_COORDINATOR_TOKENS', message: 'must be tenant=token pairs' },
      ]);
    }
    map.set(tenant.trim(), token.trim());
  }
  return map;
}
