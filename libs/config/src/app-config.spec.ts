import { loadAppConfig } from './app-config';
import { ConfigError } from './config-error';
import { loadTenantsFile } from './tenants.loader';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('configuration fails fast, naming the bad key', () => {
  it('has working local defaults', () => {
    expect(loadAppConfig({})).toMatchObject({ HUB_HTTP_PORT: 3000, KAFKA_BROKERS: 'localhost:9092' });
  });

  it('samples the event loop once a second unless told, and refuses a resolution out of range', () => {
    expect(loadAppConfig({}).METRICS_EVENT_LOOP_RESOLUTION_MS).toBe(1000);
    expect(loadAppConfig({ METRICS_EVENT_LOOP_RESOLUTION_MS: '100' }).METRICS_EVENT_LOOP_RESOLUTION_MS).toBe(
      100,
    );
    expect(() => loadAppConfig({ METRICS_EVENT_LOOP_RESOLUTION_MS: '0' })).toThrow(
      /METRICS_EVENT_LOOP_RESOLUTION_MS/,
    );
  });

  it('names each invalid environment variable', () => {
    try {
      loadAppConfig({ HUB_HTTP_PORT: 'abc', DATABASE_URL: 'mysql://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect([...new Set((error as ConfigError).problems.map((p) => p.key))].sort()).toEqual([
        'DATABASE_URL',
        'HUB_HTTP_PORT',
      ]);
    }
  });

  it('binds loopback unless told otherwise, and takes only an IP address to bind', () => {
    expect(loadAppConfig({}).LISTEN_ADDRESS).toBe('127.0.0.1');
    expect(loadAppConfig({ LISTEN_ADDRESS: '0.0.0.0' }).LISTEN_ADDRESS).toBe('0.0.0.0');
    expect(() => loadAppConfig({ LISTEN_ADDRESS: 'everywhere' })).toThrow(/LISTEN_ADDRESS/);
  });

  it('refuses a Kafka heartbeat too slow for its session, and a session the broker would refuse', () => {
    const keys = (env: Record<string, string>) => {
      try {
        loadAppConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.key);
      }
    };
    expect(keys({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2500' })).toEqual([
      'KAFKA_HEARTBEAT_INTERVAL_MS',
    ]);
    expect(keys({ KAFKA_SESSION_TIMEOUT_MS: '3000' })).toContain('KAFKA_SESSION_TIMEOUT_MS');
    expect(keys({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2000' })).toEqual([]);
    expect(keys({ LEADER_RETRY_MS: '0', SHUTDOWN_DRAIN_MS: '-1' }).sort()).toEqual([
      'LEADER_RETRY_MS',
      'SHUTDOWN_DRAIN_MS',
    ]);
  });

  it('names invalid monitoring settings', () => {
    try {
      loadAppConfig({
        CHANNEL_STUCK_AFTER_SECONDS: '0',
        MONITOR_INTERVAL_MS: 'x',
        ALERT_WEBHOOK_URL: 'ftp://a',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect([...new Set((error as ConfigError).problems.map((p) => p.key))].sort()).toEqual([
        'ALERT_WEBHOOK_URL',
        'CHANNEL_STUCK_AFTER_SECONDS',
        'MONITOR_INTERVAL_MS',
      ]);
    }
    expect(loadAppConfig({})).toMatchObject({ CHANNEL_STUCK_AFTER_SECONDS: 120, ALERT_WEBHOOK_URL: '' });
  });

  it('fails fast naming a bad retry limit', () => {
    expect(() => loadAppConfig({ INGRESS_CONTENT_FAILURE_ATTEMPTS: '0' })).toThrow(
      /INGRESS_CONTENT_FAILURE_ATTEMPTS/,
    );
    expect(() => loadAppConfig({ CASE_PROJECTION_MAX_ATTEMPTS: 'many' })).toThrow(
      /CASE_PROJECTION_MAX_ATTEMPTS/,
    );
    expect(() => loadAppConfig({ RETRY_COUNTER_KEY: 'short' })).toThrow(/RETRY_COUNTER_KEY/);
  });

  it('refuses demo credentials in production', () => {
    expect(() => loadAppConfig({ NAZORG_ENV: 'production' })).toThrow(/INGEST_TOKEN_INJUS/);
  });

  describe('a production start', () => {
    const secret = (name: string) => `${name}-0123456789abcdefghijklmnop`;
    const production = {
      NAZORG_ENV: 'production',
      DATABASE_URL: 'postgres://hub:s3cret-db-password@db.internal:5432/nazorg',
      AMQP_URL: 'amqps://hub:s3cret-amqp-password@mq.internal:5671',
      INGEST_TOKEN_INJUS: secret('injus'),
      INGEST_TOKEN_DPAN: secret('dpan'),
      OPS_OPERATOR_TOKEN: secret('operator'),
      OPS_COORDINATOR_TOKENS: `westland=${secret('westland')},haarlem=${secret('haarlem')}`,
      PSEUDONYM_KEY: secret('pseudonym'),
      RETRY_COUNTER_KEY: secret('retry-counter'),
      DATA_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
      DATA_KEY_ID: 'k1',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'hub',
      KAFKA_SASL_PASSWORD: secret('kafka'),
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadAppConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
      }
    };

    it('starts with real secrets', () => {
      expect(problemsOf(production)).toEqual([]);
    });

    it('refuses a demo value in any secret, also in the place of another', () => {
      expect(problemsOf({ ...production, OPS_OPERATOR_TOKEN: 'demo-injus-token' })).toEqual([
        'OPS_OPERATOR_TOKEN: a production start refuses the demo credential',
      ]);
      expect(problemsOf({ ...production, INGEST_TOKEN_INJUS: 'demo-dpan-token' })).toEqual([
        'INGEST_TOKEN_INJUS: a production start refuses the demo credential',
      ]);
      expect(
        problemsOf({ ...production, OPS_COORDINATOR_TOKENS: `westland=demo-coordinator-westland-token` }),
      ).toEqual(['OPS_COORDINATOR_TOKENS (westland): a production start refuses the demo credential']);
    });

    it('refuses short secrets and one secret in two roles, naming keys but never values', () => {
      const short = problemsOf({ ...production, OPS_COORDINATOR_TOKENS: 'westland=x' });
      expect(short).toEqual([
        'OPS_COORDINATOR_TOKENS (westland): must be at least 24 characters in production',
      ]);
      const shared = problemsOf({
        ...production,
        OPS_COORDINATOR_TOKENS: `westland=${production.OPS_OPERATOR_TOKEN}`,
      });
      expect(shared).toEqual(['OPS_COORDINATOR_TOKENS (westland): must differ from OPS_OPERATOR_TOKEN']);
      expect(problemsOf({ ...production, INGEST_TOKEN_DPAN: production.INGEST_TOKEN_INJUS })).toEqual([
        'INGEST_TOKEN_DPAN: must differ from INGEST_TOKEN_INJUS',
      ]);
      expect(JSON.stringify([...short, ...shared])).not.toContain(production.OPS_OPERATOR_TOKEN);
    });

    it('refuses missing coordinator tokens and the local default logins', () => {
      expect(problemsOf({ ...production, OPS_COORDINATOR_TOKENS: '' })).toEqual([
        'OPS_COORDINATOR_TOKENS: set real coordinator tokens',
      ]);
      expect(
        problemsOf({
          ...production,
          DATABASE_URL: 'postgres://nazorg:nazorg@localhost:5432/nazorg',
          AMQP_URL: 'amqp://guest:guest@localhost:5672',
        }),
      ).toEqual([
        'DATABASE_URL: a production start refuses the local default login',
        'AMQP_URL: a production start refuses the local default login',
      ]);
    });
  });

  describe('broker logins in production', () => {
    const secret = (name: string) => `${name}-0123456789abcdefghijklmnop`;
    const base = {
      NAZORG_ENV: 'production',
      DATABASE_URL: 'postgres://hub:s3cret-db-password@db.internal:5432/nazorg',
      INGEST_TOKEN_INJUS: secret('injus'),
      INGEST_TOKEN_DPAN: secret('dpan'),
      OPS_OPERATOR_TOKEN: secret('operator'),
      OPS_COORDINATOR_TOKENS: `westland=${secret('westland')}`,
      PSEUDONYM_KEY: secret('pseudonym'),
      RETRY_COUNTER_KEY: secret('retry-counter'),
      DATA_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
      DATA_KEY_ID: 'k1',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'hub',
      KAFKA_SASL_PASSWORD: secret('kafka'),
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadAppConfig({ ...base, ...env });
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
      }
    };

    it('connects each app as its own user, with only its own password set', () => {
      const config = loadAppConfig({
        ...base,
        AMQP_URL: 'amqps://mq.internal:5671/nazorg',
        AMQP_USER_CONNECTOR_ZORG: 'zorg-prod',
        AMQP_PASSWORD_CONNECTOR_ZORG: secret('zorg'),
      });
      expect(config.amqpUrl('connector-zorg')).toBe(
        `amqps://zorg-prod:${secret('zorg')}@mq.internal:5671/nazorg`,
      );
      // No demo password behind any other app's login.
      expect(config.amqpLogin('hub')).toEqual({ user: 'nazorg-hub', password: '' });
    });

    it('refuses the guest user with any password, and demo passwords, in the URL or an app key', () => {
      expect(problemsOf({ AMQP_URL: 'amqp://guest:0123456789abcdef@mq:5672' })).toEqual([
        'AMQP_URL: a production start refuses the guest login',
      ]);
      expect(problemsOf({ AMQP_URL: 'amqp://nazorg-hub:demo-amqp-hub@mq:5672' })).toEqual([
        'AMQP_URL: a production start refuses the demo credential',
      ]);
      expect(
        problemsOf({
          AMQP_URL: 'amqp://mq:5672',
          AMQP_USER_OPS: 'guest',
          AMQP_PASSWORD_HUB: 'demo-amqp-hub',
        }),
      ).toEqual([
        'AMQP_PASSWORD_HUB: a production start refuses the demo credential',
        'AMQP_USER_OPS: a production start refuses the guest login',
      ]);
    });

    it('refuses an unauthenticated Kafka and a demo Kafka password', () => {
      const amqp = { AMQP_URL: 'amqps://hub:s3cret-amqp-password@mq.internal:5671' };
      expect(problemsOf({ ...amqp, KAFKA_SASL_MECHANISM: 'none' })).toEqual([
        'KAFKA_SASL_MECHANISM: a production start refuses an unauthenticated Kafka',
      ]);
      expect(problemsOf({ ...amqp, KAFKA_SASL_PASSWORD: 'demo-kafka-nazorg-hub' })).toEqual([
        'KAFKA_SASL_PASSWORD: a production start refuses the demo credential',
      ]);
    });

    it("refuses one user in two apps' roles (the feed's two sources may share one)", () => {
      expect(
        problemsOf({
          AMQP_URL: 'amqp://mq:5672',
          AMQP_USER_FEED_INJUS: 'feed',
          AMQP_USER_FEED_DPAN: 'feed',
          AMQP_USER_CONNECTOR_BRP: 'nazorg-hub',
        }),
      ).toEqual(["AMQP_USER_CONNECTOR_BRP: must differ from the other apps' users"]);
    });
  });

  it('names the offending key of the tenant file', () => {
    const file = join(tmpdir(), `tenants-${process.pid}.yaml`);
    writeFileSync(
      file,
      'tenants:\n  - id: a\n    name: A\n    municipalities: ["030"]\n    recipients:\n      - { id: brp-a, kind: brpx }\n',
    );
    expect(() => loadTenantsFile(file)).toThrow(
      /tenants\[0\]\.municipalities[\s\S]*tenants\[0\]\.recipients\[0\]\.kind/,
    );
  });

  it('loads the demo tenant file', () => {
    const demo = loadTenantsFile(`${__dirname}/../../../config/tenants.demo.yaml`);
    expect(demo.tenants.map((t) => t.id)).toEqual(['eemland-zuid', 'westland', 'haarlem']);
    expect(demo.tenants.every((t) => t.recipients.length === 5)).toBe(true);
  });

  it('gives each demo tenant its municipality’s policy (DOMAIN.md), written out in full here', () => {
    const demo = loadTenantsFile(`${__dirname}/../../../config/tenants.demo.yaml`);
    const policy = (id: string) => ({ ...demo.tenants.find((t) => t.id === id)!.policy });
    const national = {
      minimumDetentionDays: 0,
      alwaysQualifyingFlags: [],
      benefitSuspendUpToDays: 30,
      warmHandoverDaysBeforeRelease: 30,
      consentRequiredFor: ['schuldhulp', 'zorg'],
      aftercareDays: 91,
      retentionDaysAfterAftercare: 365,
    };
    // Eemland Zuid like Amersfoort (seed 004): aftercare from 90 days, Top X and PGA always; the
    // benefit blocked under three months and stopped from three months, consistently with the 90.
    expect(policy('eemland-zuid')).toEqual({
      ...national,
      minimumDetentionDays: 90,
      alwaysQualifyingFlags: ['topX', 'pga'],
      benefitSuspendUpToDays: 89,
    });
    expect(policy('eemland-zuid').benefitSuspendUpToDays).toBe(
      policy('eemland-zuid').minimumDetentionDays - 1,
    );
    // Westland (seed 001): no aftercare duty under 10 days.
    expect(policy('westland')).toEqual({ ...national, minimumDetentionDays: 10 });
    // Haarlem: the national defaults.
    expect(policy('haarlem')).toEqual(national);
    expect({ ...demo.defaultPolicy }).toEqual(national);
  });

  it('validates the data keys, naming DATA_KEYS or DATA_KEY_ID', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadAppConfig({ DATA_KEYS: `k1:${key},k2:${key}`, DATA_KEY_ID: 'k2' }).dataKeys().size).toBe(2);
    expect(() => loadAppConfig({ DATA_KEYS: 'k1:c2hvcnQ=', DATA_KEY_ID: 'k1' })).toThrow(
      /DATA_KEYS: key k1 must be 32 bytes/,
    );
    expect(() => loadAppConfig({ DATA_KEYS: `k1:${key}`, DATA_KEY_ID: 'k9' })).toThrow(/DATA_KEY_ID/);
    expect(() => loadAppConfig({ DATA_KEYS: `k1:${key},k1:${key}`, DATA_KEY_ID: 'k1' })).toThrow(
      /appears twice/,
    );
    expect(() => loadAppConfig({ DATA_KEYS: 'not a key list' })).toThrow(/DATA_KEYS/);
  });

  it('reads the earlier pseudonym secrets, failing on a short one by its position, never its value', () => {
    expect(loadAppConfig({}).pseudonymPreviousKeys()).toEqual([]);
    const earlier = ['an-earlier-pseudonym-secret-1', 'an-earlier-pseudonym-secret-2'];
    expect(
      loadAppConfig({ PSEUDONYM_PREVIOUS_KEYS: ` ${earlier[0]} , ${earlier[1]},` }).pseudonymPreviousKeys(),
    ).toEqual(earlier);
    let problems: string[] = [];
    try {
      loadAppConfig({ PSEUDONYM_PREVIOUS_KEYS: `${earlier[0]},too-short-key` });
    } catch (error) {
      problems = (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
    }
    expect(problems).toEqual(['PSEUDONYM_PREVIOUS_KEYS: key 2 must be at least 16 characters']);
    expect(JSON.stringify(problems)).not.toContain('too-short-key');
  });

  it('refuses the demo data key in production', () => {
    expect(() => loadAppConfig({ NAZORG_ENV: 'production' })).toThrow(
      /DATA_KEYS: a production start refuses/,
    );
  });

  it('gives every tenant the national policy defaults, and names a bad policy key', () => {
    const file = join(tmpdir(), `tenants-policy-${process.pid}.yaml`);
    writeFileSync(
      file,
      [
        'tenants:',
        '  - { id: aa, name: A, municipalities: ["0307"], recipients: [] }',
        '  - id: bb',
        '    name: B',
        '    municipalities: ["1783"]',
        '    recipients: []',
        '    policy: { minimumDetentionDays: -1, alwaysQualifyingFlags: [topx], consentRequiredFor: [zorg] }',
      ].join('\n'),
    );
    expect(() => loadTenantsFile(file)).toThrow(
      /tenants\[1\]\.policy\.minimumDetentionDays[\s\S]*tenants\[1\]\.policy\.alwaysQualifyingFlags/,
    );
    writeFileSync(file, 'tenants:\n  - { id: aa, name: A, municipalities: ["0307"], recipients: [] }\n');
    const [tenant] = loadTenantsFile(file).tenants;
    expect(tenant.policy).toMatchObject({
      minimumDetentionDays: 0,
      benefitSuspendUpToDays: 30,
      consentRequiredFor: ['schuldhulp', 'zorg'],
      aftercareDays: 91,
    });
  });

  it('refuses a privacy profile without a version', () => {
    const file = join(tmpdir(), `tenants-profile-${process.pid}.yaml`);
    writeFileSync(
      file,
      'tenants:\n  - id: a\n    name: A\n    municipalities: ["0307"]\n    recipients:\n      - { id: zorg-a, kind: zorg, profile: { fields: [detentionId] } }\n',
    );
    expect(() => loadTenantsFile(file)).toThrow(/tenants\[0\]\.recipients\[0\]\.profile\.version/);
  });
});
