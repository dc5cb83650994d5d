import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ProblemException } from '@nazorg/http';
import { OpsRole } from './roles.decorator';
import { OpsRequest } from './ops-request';

/**
 * The principal OpsAuthGuard put on the request. `@Principal('coordinator')` also checks the role
 * again, so a handler typed for a coordinator cannot be reached by an operator if its `@Roles()`
 * is ever widened.
 */
export const Principal = createParamDecorator((role: OpsRole | undefined, context: ExecutionContext) => {
  const { principal } = context.switchToHttp().getRequest<Partial<OpsRequest>>();
  // A programming error (a public route, or no guard installed): a 500, not an open door.
  if (!principal) throw new Error('@Principal() on a route OpsAuthGuard did not authenticate');
  if (role !== undefined && principal.role !== role) throw roleRefused([role], principal.role);
  return principal;
});

/** The 403 for a role a route does not admit. */
export function roleRefused(admitted: readonly OpsRole[], role: OpsRole): ProblemException {
  const title =
    admitted.length === 0
      ? 'No role may use this endpoint'
      : admitted.length === 1
        ? `${admitted[0] === 'operator' ? 'Operators' : 'Coordinators'} only`
        : `For ${admitted.join(' or ')} only`;
  return ProblemException.forbidden(title, `This endpoint is not for the ${role} role.`);
}
