import SwaggerParser from '@apidevtools/swagger-parser';
import { INestApplication } from '@nestjs/common';
import { bootstrapOps } from '../apps/ops/src/ops.bootstrap';

type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  'x-nazorg-roles'?: string[];
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes?: Record<string, { type: string; scheme?: string }>; schemas?: object };
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * Every API route the ops app serves, as `METHOD /path/{param}` (read from Express's router): under
 * /api and /health. The console's pages (/, /flows, ...) are HTML for people, not part of the API.
 */
function servedRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .filter((layer) => layer.route)
    .flatMap(({ route }) =>
      Object.keys(route!.methods).map((m) => `${m.toUpperCase()} ${route!.path.replace(/:(\w+)/g, '{$1}')}`),
    )
    .filter((r) => / \/(api|health)(\/|$)/.test(r))
    .filter((r) => !/ \/api\/(docs|openapi)/.test(r));
}

/** Every `$ref` in the document resolves to something in it. */
function unresolvedRefs(document: object): string[] {
  const missing: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const target = value
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], document);
        if (target === undefined) missing.push(value);
      } else visit(value);
    }
  };
  visit(document);
  return missing;
}

/** The ops app's OpenAPI document (`/api/openapi.json`) and Swagger UI (`/api/docs`), served offline. */
describe('OpenAPI document of the operations API', () => {
  let ops: INestApplication;
  let url: string;
  let document: Document;
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, path, operation })),
    );

  beforeAll(async () => {
    ops = await bootstrapOps({ port: 0 });
    url = (await ops.getUrl()).replace('[::1]', '127.0.0.1');
    const response = await fetch(`${url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await response.json()) as Document;
  });
  afterAll(() => ops?.close());

  it('is an OpenAPI 3 document with the bearer scheme of the ops credentials', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(document.components.securitySchemes?.['ops-token']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('documents exactly the routes the app serves', () => {
    const served = servedRoutes(ops);
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(
      operations()
        .map((o) => o.route)
        .sort(),
    ).toEqual([...served].sort());
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /health/ready',
        'GET /api/v1/flows',
        'GET /api/v1/dead-letters',
        'POST /api/v1/dead-letters/{id}/replay',
        'GET /api/v1/detentions/{detentionId}/disclosures',
        'POST /api/v1/access-requests',
        'POST /api/v1/access-requests/document',
        'GET /api/v1/encryption',
        'POST /api/v1/broker-dead-letters/{queue}/replay',
        'GET /api/v1/alerts',
        'GET /api/v1/detentions/{detentionId}/case',
        'GET /api/v1/reports/registration',
      ]),
    );
  });

  it('gives every API route its security, roles, a 2xx answer and its 401/403 problems; health is open', () => {
    for (const { route, path, operation } of operations()) {
      const statuses = Object.keys(operation.responses ?? {});
      expect([route, statuses.some((s) => /^2\d\d$/.test(s))]).toEqual([route, true]);
      if (path.startsWith('/health')) {
        expect([route, operation.security ?? []]).toEqual([route, []]);
        continue;
      }
      expect([route, operation.security]).toEqual([route, [{ 'ops-token': [] }]]);
      expect([route, operation['x-nazorg-roles']?.length]).toEqual([route, expect.any(Number)]);
      for (const status of ['401', '403']) {
        const problem = operation.responses?.[status]?.content?.['application/problem+json']?.schema;
        expect([route, status, problem]).toEqual([
          route,
          status,
          { $ref: '#/components/schemas/ProblemSchema' },
        ]);
      }
    }
    const roles = (route: string) => operations().find((o) => o.route === route)?.operation['x-nazorg-roles'];
    expect(roles('GET /api/v1/dead-letters')).toEqual(['operator']);
    expect(roles('GET /api/v1/detentions/{detentionId}/case')).toEqual(['coordinator']);
    expect(roles('GET /api/v1/flows')).toEqual(['operator', 'coordinator']);
    expect(roles('POST /api/v1/access-requests')).toEqual(['coordinator']);
    expect(roles('POST /api/v1/access-requests/document')).toEqual(['coordinator']);
  });

  it('takes the BSN of an access request in the body, never in the path or the query', () => {
    for (const route of ['POST /api/v1/access-requests', 'POST /api/v1/access-requests/document']) {
      const operation = operations().find((o) => o.route === route)?.operation as Operation & {
        requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
      };
      expect([route, operation.parameters ?? []]).toEqual([route, []]);
      expect(operation.requestBody?.content?.['application/json']?.schema).toEqual({
        $ref: '#/components/schemas/AccessRequestBody',
      });
    }
    const schemas = document.components.schemas as Record<string, { required?: string[] }>;
    expect(schemas.AccessRequestBody.required).toEqual(['bsn']);
    const html = operations().find((o) => o.route === 'POST /api/v1/access-requests/document')?.operation;
    expect(Object.keys(html?.responses?.['200']?.content ?? {})).toEqual(['text/html']);
  });

  it('declares every path parameter and the validated query fields', () => {
    for (const { route, path, operation } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect([route, declared.map((p) => p.name).sort()]).toEqual([route, inPath]);
      for (const p of declared) expect([route, p.name, p.required]).toEqual([route, p.name, true]);
      const keys = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect([route, new Set(keys).size]).toEqual([route, keys.length]);
    }
    const query = (route: string) =>
      Object.fromEntries(
        (operations().find((o) => o.route === route)?.operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => [p.name, p.required ?? false]),
      );
    expect(query('GET /api/v1/flows')).toEqual({ since: false, tenant: false });
    expect(query('GET /api/v1/dead-letters')).toEqual({ status: false, limit: false, offset: false });
    expect(query('GET /api/v1/reports/registration')).toEqual({ tenant: false, month: true, format: false });
  });

  it('is structurally sound: unique operation ids, every $ref resolves', () => {
    const ids = operations().map((o) => o.operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(unresolvedRefs(document)).toEqual([]);
    expect(Object.keys(document.components.schemas ?? {})).toEqual(
      expect.arrayContaining(['ProblemSchema', 'FlowsResponse', 'DeadLetterListResponse']),
    );
  });

  // A full validation against the OpenAPI 3 schema, by a maintained validator.
  it('passes @apidevtools/swagger-parser validation', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('serves Swagger UI from its own assets, calling no other host', async () => {
    const page = await fetch(`${url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    expect(assets.filter((a) => /^(https?:)?\/\//.test(a))).toEqual([]);
    for (const asset of assets) {
      const served = await fetch(new URL(asset, `${url}/api/docs/`));
      expect([asset, served.status]).toEqual([asset, 200]);
      const text = await served.text();
      if (asset.endsWith('swagger-ui-init.js')) {
        expect(text).toMatch(/"validatorUrl": *null/);
        expect(text).not.toMatch(/https?:\/\/(?!localhost|127\.0\.0\.1)/);
      }
    }
  });
});
