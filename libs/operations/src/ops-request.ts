import { Request, Response } from 'express';
import { Problems, sendProblem } from '@nazorg/ingestion';
import { OpsCredentialsService, OpsPrincipal } from './ops-credentials.service';

/*
 * What every ops endpoint does first: who is asking, and may that role see this at all. Each
 * answers the problem itself and returns nothing when the request stops here.
 */

export function principalOf(
  credentials: OpsCredentialsService,
  req: Request,
  res: Response,
): OpsPrincipal | undefined {
  const auth = credentials.authenticate(req.headers.authorization);
  if (!auth.ok) {
    sendProblem(res, {
      ...Problems.unauthorized(),
      detail: 'Send Authorization: Bearer <token> with an operator or coordinator token.',
    });
    return undefined;
  }
  return auth.principal;
}

/** For views that name the person: a coordinator (of its own tenant) only. */
export function coordinatorOnly(
  principal: OpsPrincipal,
  res: Response,
  detail: string,
): principal is Extract<OpsPrincipal, { role: 'coordinator' }> {
  if (principal.role === 'coordinator') return true;
  sendProblem(res, {
    type: 'urn:nazorg-hub:problem:forbidden',
    title: 'Coordinators only',
    status: 403,
    detail,
  });
  return false;
}
