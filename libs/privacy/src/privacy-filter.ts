import { ProfileRule } from './default-privacy-profiles';

export interface FilteredData {
  data: Record<string, unknown>;
  /** Leaf paths that were disclosed (sorted), for the disclosure log. */
  disclosedPaths: string[];
}

/**
 * Keeps only the leaf paths a profile allows. Pure and allowlist-based: objects are walked,
 * anything else (arrays, scalars, null) is a leaf that is copied whole or dropped.
 */
export function filterByProfile(data: Record<string, unknown>, rules: readonly ProfileRule[]): FilteredData {
  const allowed = new Set(rules.filter((rule) => conditionHolds(rule, data)).map((rule) => rule.path));
  const disclosedPaths: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string): Record<string, unknown> | undefined => {
    const out: Record<string, unknown> = {};
    let kept = false;
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) {
        const child = walk(value, path);
        if (child) {
          out[key] = child;
          kept = true;
        }
      } else if (allowed.has(path)) {
        out[key] = value;
        disclosedPaths.push(path);
        kept = true;
      }
    }
    return kept ? out : undefined;
  };
  return { data: walk(data, '') ?? {}, disclosedPaths: disclosedPaths.sort() };
}

function conditionHolds(rule: ProfileRule, data: Record<string, unknown>): boolean {
  if (!rule.when) return true;
  const [group, key] = rule.when.split('.');
  const consent = data[group];
  return isPlainObject(consent) && consent[key] === true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
