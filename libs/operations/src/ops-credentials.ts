import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, TenantsFile } from '@nazorg/config';

/** Who is asking: an operator (all tenants, pseudonymised) or the coordinator of one tenant. */
export type OpsPrincipal = { role: 'operator' } | { role: 'coordinator'; tenantId: string };

@Injectable()
export class OpsCredentials {
  private readonly tokens: { token: Buffer; principal: OpsPrincipal }[];

  constructor(config: AppConfig, tenants: TenantsFile) {
    let coordinators = config.coordinatorTokens();
    if (coordinators.size === 0 && config.NAZORG_ENV !== 'production') {
      // The demo credentials of CONTRACT section 5.
      coordinators = new Map(tenants.tenants.map((t) => [t.id, `demo-coordinator-${t.id}-token`]));
    }
    this.tokens = [
      { token: Buffer.from(config.OPS_OPERATOR_TOKEN), principal: { role: 'operator' } },
      ...[...coordinators].map(([tenantId, token]) => ({
        token: Buffer.from(token),
        principal: { role: 'coordinator' as const, tenantId },
      })),
    ];
  }

  principalFor(authorization: string | undefined): OpsPrincipal | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = Buffer.from(match[1]);
    return this.tokens.find((t) => t.token.length === presented.length && timingSafeEqual(t.token, presented))
      ?.principal;
  }
}
