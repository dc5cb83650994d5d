import { Request } from 'express';
import { OpsPrincipal } from '../ops-credentials.service';

/** A request OpsAuthGuard let through: who is asking. */
export interface OpsRequest extends Request {
  principal: OpsPrincipal;
}

export type CoordinatorPrincipal = Extract<OpsPrincipal, { role: 'coordinator' }>;
export type OperatorPrincipal = Extract<OpsPrincipal, { role: 'operator' }>;
