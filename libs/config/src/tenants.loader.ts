import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './config-error';
import { TenantsFile } from './tenant-config';
import { validateInto } from './validate-into';

/** Loads and validates the tenant file; checks the cross-references the classes cannot. */
export function loadTenantsFile(path: string): TenantsFile {
  const file = resolve(path);
  let plain: unknown;
  try {
    plain = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [{ key: '(file)', message: (error as Error).message }]);
  }
  return checkTenants(validateInto(TenantsFile, plain, file), file);
}

export function checkTenants(config: TenantsFile, source: string): TenantsFile {
  const problems: { key: string; message: string }[] = [];
  const seenMunicipality = new Map<string, string>();
  const seenRecipient = new Set<string>();
  const seenTenant = new Set<string>();
  config.tenants.forEach((tenant, t) => {
    if (seenTenant.has(tenant.id)) problems.push({ key: `tenants[${t}].id`, message: 'duplicate tenant id' });
    seenTenant.add(tenant.id);
    tenant.municipalities.forEach((code, m) => {
      const owner = seenMunicipality.get(code);
      if (owner)
        problems.push({ key: `tenants[${t}].municipalities[${m}]`, message: `already belongs to ${owner}` });
      seenMunicipality.set(code, tenant.id);
    });
    tenant.recipients.forEach((r, i) => {
      if (r.kind === 'ops') {
        problems.push({
          key: `tenants[${t}].recipients[${i}].kind`,
          message: 'ops recipients go in sharedRecipients',
        });
      }
    });
  });
  const all = [
    ...config.tenants.flatMap((t, ti) =>
      t.recipients.map((r, i) => ({ r, key: `tenants[${ti}].recipients[${i}]` })),
    ),
    ...config.sharedRecipients.map((r, i) => ({ r, key: `sharedRecipients[${i}]` })),
  ];
  for (const { r, key } of all) {
    if (seenRecipient.has(r.id)) problems.push({ key: `${key}.id`, message: 'duplicate recipient id' });
    seenRecipient.add(r.id);
    if (r.channel.type === 'webhook' && (!r.channel.url || !r.channel.secretEnv)) {
      problems.push({ key: `${key}.channel`, message: 'a webhook channel needs url and secretEnv' });
    }
  }
  config.sharedRecipients.forEach((r, i) => {
    if (r.kind !== 'ops')
      problems.push({ key: `sharedRecipients[${i}].kind`, message: 'only ops may see all tenants' });
  });
  if (problems.length) throw new ConfigError(source, problems);
  return config;
}
