import { TenantsFile } from '@nazorg/config';
import { OpsPrincipal } from '@nazorg/operations';

/**
 * The tenant a view shows: a coordinator's own, whatever it asks; an operator's choice of a
 * configured tenant, or all (null).
 */
export function tenantScope(
  principal: OpsPrincipal,
  asked: string | undefined,
  tenants: TenantsFile,
): string | null {
  if (principal.role === 'coordinator') return principal.tenantId;
  return asked && tenants.tenants.some((t) => t.id === asked) ? asked : null;
}

/** The recipients whose deliveries a scope can have: its tenants' own and the shared ones. */
export function recipientsOf(scope: string | null, tenants: TenantsFile): string[] {
  const own = tenants.tenants.filter((t) => scope === null || t.id === scope).flatMap((t) => t.recipients);
  return [...new Set([...own, ...tenants.sharedRecipients].map((r) => r.id))];
}
