import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** The demo tenant file as plain data, for tests that start a hub with a variant of it. */
export type TenantsYaml = {
  tenants: {
    id: string;
    municipalities: string[];
    recipients: { id: string; kind: string; profile?: { version: string; fields: string[] } }[];
    policy?: Record<string, unknown>;
  }[];
  sharedRecipients: { id: string; kind: string }[];
  disclosureGrounds?: Record<string, { processingActivity: string; legalGround: string }>;
  defaultPolicy?: Record<string, unknown>;
};

/** Writes `change(demo file)` to a temporary file and returns its path (for TENANTS_FILE). */
export function writeTenantsFile(change: (file: TenantsYaml) => void): string {
  const file = parse(readFileSync(join(__dirname, '../../config/tenants.demo.yaml'), 'utf8')) as TenantsYaml;
  change(file);
  const path = join(mkdtempSync(join(tmpdir(), 'nazorg-tenants-')), 'tenants.yaml');
  writeFileSync(path, stringify(file));
  return path;
}
