import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, ConfigError, TenantsFile } from '@nazorg/config';

/** Who is asking: an operator (all tenants, pseudonymised) or the coordinator of one tenant. */
export type OpsPrincipal = { role: 'operator' } | { role: 'coordinator'; tenantId: string };

/** The outcome of checking an `Authorization` header; never an exception. */
export type OpsAuthentication = { ok: true; principal: OpsPrincipal } | { ok: false };

/** Resolves an operations API bearer token to its principal (CONTRACT section 5). */
@Injectable()
export class OpsCredentialsService {
  private readonly tokens: { digest: Buffer; principal: OpsPrincipal }[];

  constructor(config: AppConfig, tenants: TenantsFile) {
    let coordinators = config.coordinatorTokens();
    const unknown = [...coordinators.keys()].filter((id) => !tenants.tenants.some((t) => t.id === id));
    if (unknown.length) {
      // A token for a tenant that does not exist is a typo that would leave the real one locked out.
      throw new ConfigError(
        'environment',
        unknown.map((id) => ({
          key: 'OPS_COORDINATOR_TOKENS',
          message: `no tenant "${id}" in the tenant file`,
        })),
      );
    }
    if (coordinators.size === 0 && config.NAZORG_ENV !== 'production') {
      // The demo credentials of CONTRACT section 5; a production start refuses to run without real ones.
      coordinators = new Map(tenants.tenants.map((t) => [t.id, `demo-coordinator-${t.id}-token`]));
    }
    this.tokens = [
      { digest: digest(config.OPS_OPERATOR_TOKEN), principal: { role: 'operator' } },
      ...[...coordinators].map(([tenantId, token]) => ({
        digest: digest(token),
        principal: { role: 'coordinator' as const, tenantId },
      })),
    ];
  }

  authenticate(authorization: string | undefined): OpsAuthentication {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false };
    // Fixed-length digests so that neither the token's length nor the position of the first
    // differing byte shows in the timing, and every token is compared (no early exit on a match).
    const presented = digest(match[1]);
    let found: OpsPrincipal | undefined;
    for (const t of this.tokens) if (timingSafeEqual(t.digest, presented)) found ??= t.principal;
    return found ? { ok: true, principal: found } : { ok: false };
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
