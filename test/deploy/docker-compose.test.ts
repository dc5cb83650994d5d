import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { BROKER_IDENTITIES, demoAmqpLogin, loadAppConfig, loadTenantsFile } from '@nazorg/config';

/**
 * docker-compose.yml (issue 14): `docker compose config` (the real compose, built by
 * scripts/infra/deploy-tools.sh; there is no Docker engine here) accepts it, and its `full` profile
 * runs the whole system from the one image: every app with its command, a configuration the app
 * accepts, a health check on its own port, and RabbitMQ with each app's user and permissions.
 */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: { target: number; published: string; host_ip: string }[];
  healthcheck?: { disable?: boolean; test?: string[] };
  volumes?: { source: string; target: string }[];
}

let compose: string;
const config = (...args: string[]) =>
  JSON.parse(execFileSync(compose, [...args, 'config', '--format', 'json'], { encoding: 'utf8' })) as {
    services: Record<string, ComposeService>;
  };

const APPS = [
  'hub',
  'ops',
  'connector-brp',
  'connector-income',
  'connector-schuldhulp',
  'connector-zorg',
  'external-mocks',
  'feed',
];

beforeAll(() => {
  const out = execFileSync('bash', ['scripts/infra/deploy-tools.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  compose = /^DOCKER_COMPOSE=(.*)$/m.exec(out)![1];
}, 20 * 60_000);

describe('docker-compose.yml', () => {
  it('starts only the three services without a profile', () => {
    expect(Object.keys(config().services).sort()).toEqual(['kafka', 'postgres', 'rabbitmq']);
  });

  it('runs every app from the one image in the full profile, after the migrations', () => {
    const { services } = config('--profile', 'full');
    expect(Object.keys(services).sort()).toEqual(
      [...APPS, 'kafka', 'migrate', 'postgres', 'rabbitmq'].sort(),
    );
    for (const name of [...APPS, 'migrate']) {
      const service = services[name];
      expect({
        name,
        image: service.image,
        build: service.build?.dockerfile,
        profiles: service.profiles,
      }).toEqual({
        name,
        image: 'nazorg-hub:local',
        build: 'Dockerfile',
        profiles: ['full'],
      });
      // node dist/apps/<app>/src/<entry>.js: an entry point of the source tree.
      const [node, script] = service.command!;
      expect(node).toBe('node');
      expect(existsSync(script.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
    }
    expect(services.migrate.command).toEqual(['node', 'dist/apps/hub/src/migrate.js']);
    expect(services.hub.depends_on?.migrate).toEqual(
      expect.objectContaining({ condition: 'service_completed_successfully' }),
    );
    for (const name of APPS.filter((a) => a.startsWith('connector-') || a === 'ops' || a === 'feed'))
      expect(services[name].depends_on?.hub).toEqual(
        expect.objectContaining({ condition: 'service_healthy' }),
      );
  });

  it('gives each app a configuration it accepts and a health check on its own listener', () => {
    const { services } = config('--profile', 'full');
    for (const name of APPS) {
      const env = services[name].environment!;
      const { NAZORG_HEALTH_URL: health, ...appEnv } = env;
      // Every key is one of AppConfig's (a misspelt key would be silently ignored by the app).
      const known = Object.keys(loadAppConfig({}));
      expect({ name, unknown: Object.keys(appEnv).filter((k) => !known.includes(k)) }).toEqual({
        name,
        unknown: [],
      });
      const app = loadAppConfig(appEnv);
      expect(app.LISTEN_ADDRESS).toBe('0.0.0.0');
      expect(loadTenantsFile(app.TENANTS_FILE).tenants.length).toBeGreaterThan(0);
      // The port the health check asks is the one this app listens on.
      const port = {
        hub: app.HUB_HTTP_PORT,
        ops: app.OPS_HTTP_PORT,
        'external-mocks': app.EXTERNAL_MOCKS_PORT,
        'connector-brp': app.CONNECTOR_BRP_METRICS_PORT,
        'connector-income': app.CONNECTOR_INCOME_METRICS_PORT,
        'connector-schuldhulp': app.CONNECTOR_SCHULDHULP_METRICS_PORT,
        'connector-zorg': app.CONNECTOR_ZORG_METRICS_PORT,
        feed: app.FEED_METRICS_PORT,
      }[name];
      expect({ name, health }).toEqual({
        name,
        health: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${port}/`)),
      });
      expect(services[name].healthcheck?.disable).not.toBe(true);
      // Hosts are the compose services, never the container's own loopback.
      for (const key of ['DATABASE_URL', 'AMQP_URL', 'BRP_API_URL', 'SUWINET_API_URL'] as const)
        expect(new URL(app[key]).hostname).not.toMatch(/^(localhost|127\.)/);
    }
    expect(services.hub.ports).toEqual([expect.objectContaining({ target: 3000, host_ip: '127.0.0.1' })]);
    expect(services.ops.ports).toEqual([expect.objectContaining({ target: 3001, host_ip: '127.0.0.1' })]);
  });

  it("creates what scripts/infra/rabbitmq.sh up does: both vhosts, every app's user (demo password), permissions", () => {
    const { services } = config('--profile', 'full');
    const mounted = services.rabbitmq.volumes!.map((v) => v.target);
    expect(mounted).toEqual(
      expect.arrayContaining(['/etc/rabbitmq/definitions.json', '/etc/rabbitmq/conf.d/20-nazorg.conf']),
    );
    expect(readFileSync('deploy/compose/rabbitmq/rabbitmq.conf', 'utf8')).toMatch(
      /^load_definitions = \/etc\/rabbitmq\/definitions\.json$/m,
    );
    const definitions = JSON.parse(readFileSync('deploy/compose/rabbitmq/definitions.json', 'utf8')) as {
      users: { name: string; password_hash: string; hashing_algorithm: string }[];
      permissions: { user: string; vhost: string; configure: string; write: string; read: string }[];
      topic_permissions: { user: string; exchange: string; write: string; read: string }[];
    };
    for (const { user, password } of [
      ...BROKER_IDENTITIES.map((identity) => demoAmqpLogin(identity)),
      { user: 'guest', password: 'guest' },
    ]) {
      const entry = definitions.users.find((u) => u.name === user)!;
      expect(entry.hashing_algorithm).toBe('rabbit_password_hashing_sha256');
      // RabbitMQ's SHA-256 hash: base64(salt ++ sha256(salt ++ password)), 4-byte salt.
      const raw = Buffer.from(entry.password_hash, 'base64');
      const salt = raw.subarray(0, 4);
      const digest = createHash('sha256')
        .update(Buffer.concat([salt, Buffer.from(password)]))
        .digest();
      expect({ user, matches: raw.subarray(4).equals(digest) }).toEqual({ user, matches: true });
    }
    // The same permissions as the script sets (its set_permissions lines, read from the script).
    const script = readFileSync('scripts/infra/rabbitmq.sh', 'utf8');
    const fromScript = [...script.matchAll(/set_permissions -p "\$vhost" (\S+) '([^']*)' '([^']*)' (\S+)/g)];
    expect(fromScript.length).toBeGreaterThanOrEqual(5);
    for (const [, userSpec, configure, write, readSpec] of fromScript) {
      if (userSpec === 'guest') continue;
      const kinds = userSpec.includes('$user') ? ['brp', 'income', 'schuldhulp', 'zorg'] : [''];
      for (const kind of kinds) {
        const user = kind ? `nazorg-connector-${kind}` : userSpec;
        const read = readSpec
          .replace(/^["']|["']$/g, '')
          .replace(/\\\\/g, '\\')
          .replace('$kind', kind)
          .replace('\\$', '$');
        // On the demo vhost and the tests' one, as `rabbitmq.sh up` sets them.
        expect(definitions.permissions.filter((p) => p.user === user)).toEqual(
          ['/', 'nazorg-test'].map((vhost) => ({ user, vhost, configure, write, read })),
        );
      }
    }
    expect(definitions.topic_permissions).toHaveLength(16);
    // guest for tools and tests (npm test against `docker compose up -d`), as the script leaves it.
    expect(definitions.permissions.filter((p) => p.user === 'guest').map((p) => p.vhost)).toEqual([
      '/',
      'nazorg-test',
    ]);
  });
});
