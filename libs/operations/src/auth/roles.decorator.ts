import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiProblemResponses } from '@nazorg/http';
import { OpsPrincipal } from '../ops-credentials.service';

export type OpsRole = OpsPrincipal['role'];

export const ROLES = 'nazorg:ops-roles';
/** The OpenAPI security scheme of the operations API's bearer tokens. */
export const OPS_BEARER = 'ops-token';

/**
 * Who may call a handler (or every handler of a controller): OpsAuthGuard answers 401 without a
 * valid operations credential and 403 when its role is not listed. Also documents the route in
 * OpenAPI: the bearer scheme, the roles (`x-nazorg-roles`) and the 401/403 problems.
 */
export function Roles(...roles: [OpsRole, ...OpsRole[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES, roles),
    ApiBearerAuth(OPS_BEARER),
    ApiExtension('x-nazorg-roles', roles),
    ApiProblemResponses(
      [401, 'No or an unknown operations credential'],
      [403, `The credential's role is not ${roles.join(' or ')}, or it asks for another tenant`],
    ),
  );
}
