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

  it('refuses demo credentials in production', () => {
    expect(() => loadAppConfig({ NAZORG_ENV: 'production' })).toThrow(/INGEST_TOKEN_INJUS/);
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
});
