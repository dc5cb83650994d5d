import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

/**
 * The one image for every app (issue 14). These machines have no Docker engine, so the Dockerfile
 * is read: its stages, what the runtime stage takes from which, its user and its health check.
 */
interface Stage {
  name: string;
  from: string;
  instructions: { op: string; args: string }[];
}

/** Dockerfile instructions with continuation lines joined, grouped by stage. */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const result: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      result.push({ name: name ?? String(result.length), from, instructions: [] });
    } else if (result.length) {
      result[result.length - 1].instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return result;
}

const dockerfile = readFileSync('Dockerfile', 'utf8');
const all = stages(dockerfile);
const runtime = all[all.length - 1];
const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds in stages: swc build, production dependencies, runtime', () => {
    expect(all.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    const [build, deps] = all;
    expect(ops(build, 'RUN')).toEqual(expect.arrayContaining(['npm run build']));
    expect(ops(build, 'RUN').some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(ops(deps, 'RUN').some((r) => /^npm ci\b.*--omit=dev/.test(r))).toBe(true);
    // No install scripts run, whatever npm the base image brings (npm 11 needs an allow-list).
    for (const stage of [build, deps])
      expect(ops(stage, 'RUN').filter((r) => r.startsWith('npm ci'))).toEqual([
        expect.stringContaining('--ignore-scripts'),
      ]);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.build).toContain('swc');
  });

  it('runs only compiled code with the production dependencies, not the build stage', () => {
    const copies = ops(runtime, 'COPY');
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies.filter((c) => c.startsWith('--from=build'))).toEqual(['--from=build /app/dist ./dist']);
    expect(ops(runtime, 'RUN').join(' ')).not.toMatch(/npm (ci|install)/);
    // What the apps read at run time is there: package.json (version), console assets, tenant file.
    for (const source of copies
      .filter((c) => !c.startsWith('--'))
      .flatMap((c) => c.split(/\s+/).slice(0, -1)))
      expect({ source, exists: existsSync(source) }).toEqual({ source, exists: true });
    expect(copies).toEqual(
      expect.arrayContaining(['libs/console/assets ./libs/console/assets', 'config ./config']),
    );
  });

  it('has every package the apps import among the production dependencies (npm ci --omit=dev)', () => {
    // What `npm ci --omit=dev` installs: the lockfile's packages not marked dev.
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const production = (name: string) => {
      const entry = lock.packages[`node_modules/${name}`];
      return entry !== undefined && entry.dev !== true;
    };
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? sources(join(dir, entry.name))
          : /(?<!\.spec)\.ts$/.test(entry.name)
            ? [join(dir, entry.name)]
            : [],
      );
    const imported = new Set<string>();
    for (const file of [...sources('apps'), ...sources('libs')]) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(
        /(?:from\s+|require(?:\.resolve)?\(|import\()'([^'.][^']*)'/g,
      )) {
        if (spec.startsWith('@nazorg/') || spec.startsWith('node:') || builtinModules.includes(spec))
          continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    expect([...imported].filter((name) => !production(name)).sort()).toEqual([]);
    // The check can fail: a dev-only package counts as missing.
    expect(production('jest')).toBe(false);
  });

  it('runs as a non-root user, by number (Kubernetes runAsNonRoot can check it)', () => {
    const users = ops(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [user] = users[0].split(':');
    expect(user).toMatch(/^\d+$/);
    expect(Number(user)).toBeGreaterThan(0);
    // Nothing after USER switches back or installs anything.
    const afterUser = runtime.instructions.slice(runtime.instructions.findIndex((i) => i.op === 'USER') + 1);
    expect(afterUser.map((i) => i.op)).not.toContain('RUN');
  });

  it('binds all interfaces in production mode, the app chosen by its command (hub by default)', () => {
    const env = ops(runtime, 'ENV').join(' ');
    expect(env).toContain('NAZORG_ENV=production');
    expect(env).toContain('LISTEN_ADDRESS=0.0.0.0');
    // The heap limits `npm start` and the bench run with are the image's (docs/adr/0029).
    const nodeOptions = readFileSync('config/node-options', 'utf8').trim();
    expect(nodeOptions).toMatch(/--max-old-space-size=\d+/);
    expect(env).toContain(`NODE_OPTIONS="${nodeOptions}"`);
    expect(ops(runtime, 'CMD')).toEqual(['["node", "dist/apps/hub/src/main.js"]']);
    // The commands the header lists exist as sources of apps.
    for (const [, app, file] of dockerfile.matchAll(/dist\/apps\/([a-z-<>]+)\/src\/(main|migrate)\.js/g)) {
      const apps =
        app === 'connector-<kind>'
          ? ['brp', 'income', 'schuldhulp', 'zorg'].map((k) => `connector-${k}`)
          : [app];
      for (const name of apps) expect(existsSync(`apps/${name}/src/${file}.ts`)).toBe(true);
    }
  });

  it("checks health on the app's own endpoint (NAZORG_HEALTH_URL, default the hub's /health)", () => {
    const [healthcheck] = ops(runtime, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/--interval=\d+s/);
    expect(healthcheck).toMatch(/CMD \["node", "-e", ".*NAZORG_HEALTH_URL.*\/health.*"\]/);
  });

  it('has a health check command that passes on 2xx and fails on 503 or no answer', async () => {
    const [command, flag, script] = JSON.parse(
      /CMD (\[.*\])$/.exec(ops(runtime, 'HEALTHCHECK')[0])![1],
    ) as string[];
    expect([command, flag]).toEqual(['node', '-e']);
    const server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const check = (env: Record<string, string>) =>
      new Promise<number | null>((resolve) =>
        execFile(process.execPath, ['-e', script], { env: { ...process.env, ...env } }, (error) =>
          resolve(error ? (error.code as number) : 0),
        ),
      );
    try {
      expect(await check({ HUB_HTTP_PORT: String(port) })).toBe(0);
      expect(await check({ NAZORG_HEALTH_URL: `http://127.0.0.1:${port}/health` })).toBe(0);
      expect(await check({ NAZORG_HEALTH_URL: `http://127.0.0.1:${port}/health/ready` })).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await check({ NAZORG_HEALTH_URL: `http://127.0.0.1:${port}/health` })).toBe(1);
  });

  it('keeps local data, builds, secrets and Git out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', '.data', '.env', 'node_modules', 'dist']));
    // ... but not what the Dockerfile copies.
    for (const source of [
      'package.json',
      'package-lock.json',
      'apps',
      'libs',
      'config',
      'scenarios',
      '.swcrc',
    ])
      expect(ignored).not.toContain(source);
  });
});
