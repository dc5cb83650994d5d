#!/usr/bin/env node
// Kubernetes JSON schemas for kubeconform, made offline from the cluster's own OpenAPI document
// (api/openapi-spec/swagger.json of the k8s.io/kubernetes Go module) the way openapi2jsonschema
// makes kubeconform's published ones: one standalone (every $ref inlined) strict (no unknown
// fields) schema per kind, named <kind>[-<group>]-<version>.json as kubeconform looks them up.
// Usage: node k8s-json-schemas.js <swagger.json> <out-dir>
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [swaggerFile, outDir] = process.argv.slice(2);
if (!swaggerFile || !outDir) {
  process.stderr.write('usage: k8s-json-schemas.js <swagger.json> <out-dir>\n');
  process.exit(2);
}
const definitions = JSON.parse(fs.readFileSync(swaggerFile, 'utf8')).definitions;
const PREFIX = '#/definitions/';
// The two types whose JSON form is wider than their OpenAPI "string" (as in openapi2jsonschema).
const SPECIAL = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

/** The schema with every $ref inlined; a recursive type (JSONSchemaProps) stops at any value. */
function expand(schema, stack) {
  if (schema.$ref) {
    const name = schema.$ref.slice(PREFIX.length);
    if (SPECIAL[name]) return SPECIAL[name];
    if (stack.includes(name)) return {};
    return expand(definitions[name], [...stack, name]);
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([prop, sub]) => [prop, nullable(expand(sub, stack))]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = expand(value, stack);
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') {
      out[key] = value.map((sub) => expand(sub, stack));
    } else if (key === 'format' && value === 'int-or-string') {
      return SPECIAL['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
    } else {
      out[key] = value;
    }
  }
  // Strict: an object with known fields takes no others (a misspelt field is an error).
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Optional fields may be null in a manifest (an empty value in a template), as in kubeconform's. */
function nullable(schema) {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return schema;
}

fs.mkdirSync(outDir, { recursive: true });
let count = 0;
for (const [name, definition] of Object.entries(definitions)) {
  for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
    // Only the kind's own definition, not the shared meta types that list every group.
    if (!name.endsWith(`.${gvk.kind}`) || name.startsWith('io.k8s.apimachinery.')) continue;
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    const schema = expand(definition, [name]);
    schema.properties.apiVersion = { type: 'string', enum: [apiVersion] };
    schema.properties.kind = { type: 'string', enum: [gvk.kind] };
    schema.$schema = 'http://json-schema.org/schema#';
    const group = gvk.group ? `-${gvk.group.split('.')[0]}` : '';
    const file = `${gvk.kind.toLowerCase()}${group}-${gvk.version}.json`.toLowerCase();
    fs.writeFileSync(path.join(outDir, file), JSON.stringify(schema));
    count++;
  }
}
process.stdout.write(`${count} schemas in ${outDir}\n`);
