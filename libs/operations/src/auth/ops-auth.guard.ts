import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, ProblemException } from '@nazorg/http';
import { OpsCredentialsService } from '../ops-credentials.service';
import { OpsRequest } from './ops-request';
import { roleRefused } from './principal.decorator';
import { OpsRole, ROLES } from './roles.decorator';

/**
 * The operations API's credential check, global in the app (OpsHttpModule): resolves
 * `Authorization: Bearer` to an operator or a tenant's coordinator and puts it on the request for
 * `@Principal()`. Fails closed: 401 without a valid credential, 403 when the route's `@Roles()` do
 * not list the role, and 403 for a route that declares neither roles nor `@Public()`.
 */
@Injectable()
export class OpsAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: OpsCredentialsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Only HTTP carries a bearer token; the ops app has no broker handlers to guard.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<OpsRequest>();
    const auth = this.credentials.authenticate(request.headers.authorization);
    if (!auth.ok) {
      throw ProblemException.unauthorized(
        'Send Authorization: Bearer <token> with an operator or coordinator token.',
      );
    }
    const roles = this.reflector.getAllAndOverride<OpsRole[] | undefined>(ROLES, targets) ?? [];
    if (!roles.includes(auth.principal.role)) throw roleRefused(roles, auth.principal.role);
    request.principal = auth.principal;
    return true;
  }
}
