import { Injectable } from '@nestjs/common';
import { TenantsFile } from '@nazorg/config';
import { ProblemException } from '@nazorg/http';
import { OpsPrincipal } from '../ops-credentials.service';

/**
 * Which tenant an answer may be about, decided in one place for every ops endpoint: a coordinator
 * sees its own tenant only (asking for another is 403, whether it exists or not); an operator sees
 * every tenant or the configured one it asks for (an unknown one is a field-level 400).
 */
@Injectable()
export class TenantScopeService {
  private readonly tenantIds: Set<string>;

  constructor(tenants: TenantsFile) {
    this.tenantIds = new Set(tenants.tenants.map((t) => t.id));
  }

  /** The tenant to narrow to, or null for every tenant (an operator who asked for none). */
  scope(principal: OpsPrincipal, requested: string | undefined): string | null {
    if (principal.role === 'coordinator') {
      if (requested !== undefined && requested !== principal.tenantId) {
        throw ProblemException.forbidden('Not your tenant', 'A coordinator sees its own tenant only.');
      }
      return principal.tenantId;
    }
    if (requested !== undefined && !this.tenantIds.has(requested)) throw unknownTenant();
    return requested ?? null;
  }

  /** Like `scope`, for answers about exactly one tenant: an operator must name it. */
  oneTenant(principal: OpsPrincipal, requested: string | undefined): string {
    const tenant = this.scope(principal, requested);
    if (tenant === null) throw unknownTenant();
    return tenant;
  }
}

function unknownTenant(): ProblemException {
  return ProblemException.invalid([{ path: 'tenant', message: 'must be a configured tenant' }]);
}
