import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { AppConfig, BROKER_IDENTITIES, identityKey, loadAppConfig, loadTenantsFile } from '@nazorg/config';

/**
 * The Helm chart (issue 14): `helm lint`, `helm template` with the default values and with the
 * multi-replica example, every rendered object validated against Kubernetes' own schemas by
 * kubeconform -strict, and what the chart promises (one Deployment per app with its replicas,
 * probes, resources, secrets from Secrets, the migration hook, each app's environment accepted by
 * a production start). The tools are built by scripts/infra/deploy-tools.sh when missing.
 */
const CHART = 'deploy/helm/nazorg-hub';
const MULTI = `${CHART}/ci/multi-replica-values.yaml`;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  // The parts read below; kubeconform checks the whole object.
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  command: string[];
  env: EnvVar[];
  envFrom: { configMapRef: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
}
interface PodSpec {
  securityContext: { runAsNonRoot: boolean; runAsUser: number };
  containers: Container[];
}
interface AppValues {
  enabled: boolean;
  replicas: number;
  command: string[];
  port?: number;
  metricsPort?: number;
  health?: { liveness: string; readiness: string };
  amqpIdentities: string[];
}

let tools: Record<'HELM' | 'KUBECONFORM' | 'K8S_SCHEMAS', string>;
let work: string;

function helm(...args: string[]): string {
  return execFileSync(tools.HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function render(...valueFiles: string[]): { yaml: string; objects: K8sObject[] } {
  const yaml = helm('template', 'nazorg-hub', CHART, ...valueFiles.flatMap((file) => ['-f', file]));
  const objects = parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
  return { yaml, objects };
}

/** kubeconform -strict on a rendered manifest, against the offline schemas. */
function kubeconform(yaml: string): { status: number; summary: Record<string, number>; out: string } {
  const file = join(work, `manifest-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(file, yaml);
  const run = spawnSync(
    tools.KUBECONFORM,
    [
      '-strict',
      '-summary',
      '-output',
      'json',
      '-schema-location',
      `${tools.K8S_SCHEMAS}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      file,
    ],
    { encoding: 'utf8' },
  );
  const report = JSON.parse(run.stdout) as { summary: Record<string, number> };
  return { status: run.status ?? -1, summary: report.summary, out: run.stdout + run.stderr };
}

function values(...valueFiles: string[]): { apps: Record<string, AppValues> } & Record<string, unknown> {
  // Helm's own view of the merged values (defaults + files).
  const merged = parseYaml(helm('show', 'values', CHART)) as { apps: Record<string, AppValues> };
  for (const file of valueFiles) {
    const extra = parseYaml(readFileSync(file, 'utf8')) as { apps?: Record<string, Partial<AppValues>> };
    for (const [app, v] of Object.entries(extra.apps ?? {})) Object.assign(merged.apps[app], v);
  }
  return merged;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const deployments = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment');
const podSpec = (o: K8sObject) => (o.spec as { template: { spec: PodSpec } }).template.spec;

beforeAll(() => {
  // Builds helm and kubeconform and makes the schemas on a fresh machine (minutes, once).
  const out = execFileSync('bash', ['scripts/infra/deploy-tools.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  tools = Object.fromEntries(
    out
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as typeof tools;
  work = mkdtempSync(join(tmpdir(), 'nazorg-helm-'));
}, 20 * 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Helm chart deploy/helm/nazorg-hub', () => {
  it('lints (strict) with the default values and with the multi-replica example', () => {
    expect(helm('lint', '--strict', CHART)).toContain('0 chart(s) failed');
    expect(helm('lint', '--strict', CHART, '-f', MULTI)).toContain('0 chart(s) failed');
  });

  it('refuses values that values.schema.json does not allow', () => {
    for (const bad of [
      'apps.hub.replicas=-1',
      'rabbitmq.url=amqp://guest:guest@broker',
      'environment=prod',
    ]) {
      const run = spawnSync(tools.HELM, ['template', 'nazorg-hub', CHART, '--set', bad], {
        encoding: 'utf8',
      });
      expect({ bad, status: run.status }).toEqual({ bad, status: 1 });
      expect(run.stderr).toContain("values don't meet the specifications of the schema");
    }
  });

  it.each([
    ['default values', [] as string[]],
    ['multi-replica example', [MULTI]],
  ])('renders objects that are valid Kubernetes objects (kubeconform -strict): %s', (_name, files) => {
    const { yaml, objects } = render(...files);
    const result = kubeconform(yaml);
    expect(result.out).not.toContain('is invalid');
    expect(result.status).toBe(0);
    expect(result.summary).toEqual({
      valid: objects.length,
      invalid: 0,
      errors: 0,
      skipped: 0,
    });
  });

  it('has schemas that catch a misspelt field, a wrong type and an unknown kind', () => {
    const { yaml } = render();
    const broken = yaml
      .replace('terminationGracePeriodSeconds: 30', 'terminationGracePeriodSecond: 30')
      .replace(/replicas: 2/, 'replicas: two');
    const result = kubeconform(`${broken}\n---\napiVersion: v1\nkind: Pod2\nmetadata: { name: x }\n`);
    expect(result.status).toBe(1);
    expect(result.out).toContain("additional properties 'terminationGracePeriodSecond' not allowed");
    expect(result.out).toContain('got string, want null or integer');
    expect(result.out).toContain('could not find schema for Pod2');
  });

  it.each([
    ['default values', [] as string[]],
    ['multi-replica example', [MULTI]],
  ])('runs one Deployment per enabled app with its replicas, probes and resources: %s', (_name, files) => {
    const { objects } = render(...files);
    const apps = values(...files).apps;
    const enabled = Object.entries(apps).filter(([, app]) => app.enabled);
    expect(
      deployments(objects)
        .map((d) => [d.metadata.name, (d.spec as { replicas: number }).replicas])
        .sort(),
    ).toEqual(enabled.map(([key, app]) => [`nazorg-hub-${kebab(key)}`, app.replicas]).sort());
    for (const [key, app] of enabled) {
      const deployment = deployments(objects).find((d) => d.metadata.name === `nazorg-hub-${kebab(key)}`)!;
      const pod = podSpec(deployment);
      const [container] = pod.containers;
      expect(container.command).toEqual(app.command);
      // The app's entry point exists in the source tree (built to dist/ by the image).
      const entry = container.command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(() => readFileSync(entry)).not.toThrow();
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.any(String) });
      expect(container.resources.limits).toEqual({ cpu: expect.anything(), memory: expect.any(String) });
      if (app.port) {
        expect(container.ports).toEqual([{ name: 'http', containerPort: app.port, protocol: 'TCP' }]);
        expect(container.livenessProbe?.httpGet).toEqual({ path: app.health!.liveness, port: 'http' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: app.health!.readiness, port: 'http' });
        const service = objects.find(
          (o) => o.kind === 'Service' && o.metadata.name === deployment.metadata.name,
        );
        expect(service?.spec).toMatchObject({ ports: [{ port: app.port, targetPort: 'http' }] });
      } else {
        expect(container.ports).toEqual([
          { name: 'metrics', containerPort: app.metricsPort, protocol: 'TCP' },
        ]);
        expect(container.livenessProbe?.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
      }
    }
    // A disruption budget keeps one pod of every app that runs more than one.
    expect(
      objects
        .filter((o) => o.kind === 'PodDisruptionBudget')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(
      enabled
        .filter(([, app]) => app.replicas > 1)
        .map(([key]) => `nazorg-hub-${kebab(key)}`)
        .sort(),
    );
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(
      enabled.filter(([, a]) => a.port).length,
    );
  });

  it('runs the migrations in a pre-install/pre-upgrade Job, after its ConfigMaps and Secret exist', () => {
    const { objects } = render();
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-weight': '0',
    });
    const pod = (job.spec as { template: { spec: PodSpec & { restartPolicy: string } } }).template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].command).toEqual(['node', 'dist/apps/hub/src/migrate.js']);
    expect(readFileSync('apps/hub/src/migrate.ts', 'utf8')).toContain('MigrateModule');
    for (const dependency of objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')) {
      expect(dependency.metadata.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-weight': '-10',
      });
    }
  });

  it('takes every secret from a Secret (existingSecret), each app only its own broker passwords', () => {
    const { objects } = render(MULTI);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const apps = values(MULTI).apps;
    for (const deployment of deployments(objects)) {
      const [container] = podSpec(deployment).containers;
      const key = Object.keys(apps).find((k) => deployment.metadata.name === `nazorg-hub-${kebab(k)}`)!;
      for (const env of container.env) {
        if (/TOKEN|KEY|PASSWORD|SECRET|DATABASE_URL/.test(env.name) && !/_KEY_ID$/.test(env.name))
          expect({ env: env.name, from: env.valueFrom?.secretKeyRef?.name }).toEqual({
            env: env.name,
            from: 'nazorg-hub-secrets',
          });
      }
      const amqpPasswords = container.env
        .filter((e) => e.name.startsWith('AMQP_PASSWORD_'))
        .map((e) => e.name);
      expect(amqpPasswords.sort()).toEqual(
        apps[key].amqpIdentities
          .map((id) => `AMQP_PASSWORD_${id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`)
          .sort(),
      );
    }
    const hub = podSpec(deployments(objects).find((d) => d.metadata.name === 'nazorg-hub-hub')!)
      .containers[0];
    expect(hub.env.find((e) => e.name === 'WEBHOOK_SECRET_ZORG_PARTNER')?.valueFrom?.secretKeyRef).toEqual({
      name: 'nazorg-hub-secrets',
      key: 'webhook-webhook-secret-zorg-partner',
    });
  });

  it('gives every app an environment that a production start accepts, and the hub a valid tenant file', () => {
    // The chart's own Secret filled with strong values: resolve each pod's environment from the
    // rendered ConfigMap and Secret and load it as the app would.
    const strong = () => randomBytes(24).toString('base64url');
    const identities = Object.fromEntries(
      BROKER_IDENTITIES.map((id) => [id.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), strong()]),
    );
    const valuesFile = join(work, 'production-values.yaml');
    writeFileSync(
      valuesFile,
      JSON.stringify({
        secrets: {
          database: { username: 'nazorg_app', password: strong() },
          ingestTokenInjus: strong(),
          ingestTokenDpan: strong(),
          opsOperatorToken: strong(),
          opsCoordinatorTokens: `example-region=${strong()}`,
          pseudonymKey: strong(),
          retryCounterKey: strong(),
          dataKeys: `key-2026-01:${randomBytes(32).toString('base64')}`,
          amqpPasswords: identities,
          kafkaPasswords: Object.fromEntries(
            [
              'hub',
              'ops',
              'feed',
              'connectorBrp',
              'connectorIncome',
              'connectorSchuldhulp',
              'connectorZorg',
              'externalMocks',
            ].map((k) => [k, strong()]),
          ),
        },
        apps: { feed: { enabled: true }, externalMocks: { enabled: true } },
      }),
    );
    const { objects } = render(valuesFile);
    const secret = objects.find((o) => o.kind === 'Secret')!.stringData!;
    const configMaps = new Map(
      objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.data!]),
    );
    const pods = [...deployments(objects), ...objects.filter((o) => o.kind === 'Job')].map(
      (o) => [o.metadata.name, podSpec(o).containers[0]] as const,
    );
    expect(pods).toHaveLength(9);
    for (const [name, container] of pods) {
      const env: Record<string, string> = {};
      for (const from of container.envFrom) Object.assign(env, configMaps.get(from.configMapRef.name));
      for (const e of container.env) env[e.name] = e.value ?? secret[e.valueFrom!.secretKeyRef!.key];
      const unknown = Object.keys(env).filter((key) => !(key in new AppConfig()));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      const config = loadAppConfig(env);
      expect(config.NAZORG_ENV).toBe('production');
      expect(config.LISTEN_ADDRESS).toBe('0.0.0.0');
      const identity = BROKER_IDENTITIES.find((id) => name === `nazorg-hub-${id}`);
      if (identity)
        expect(config.amqpLogin(identity).password).toBe(env[`AMQP_PASSWORD_${identityKey(identity)}`]);
    }
    const tenantsFile = join(work, 'tenants.yaml');
    writeFileSync(tenantsFile, configMaps.get('nazorg-hub-tenants')!['tenants.yaml']);
    expect(loadTenantsFile(tenantsFile).tenants.map((t) => t.id)).toEqual(['example-region']);
  });
});
