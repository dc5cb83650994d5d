import { OpenApiOptions } from '@nazorg/http';
import { OPS_BEARER } from './auth/roles.decorator';

/** What the ops app's OpenAPI document (`/api/openapi.json`) says about itself. */
export const OPS_OPENAPI: OpenApiOptions = {
  title: 'Nazorg Hub operations API',
  description:
    'Watch every flow without seeing whom it is about. Operators see every tenant, pseudonymised; a ' +
    'coordinator sees its own tenant. Every non-2xx answer is application/problem+json (RFC 9457). ' +
    'Roles per operation: `x-nazorg-roles`.',
  version: '1',
  bearer: {
    [OPS_BEARER]:
      'OPS_OPERATOR_TOKEN (operator) or a token of OPS_COORDINATOR_TOKENS (coordinator of one tenant)',
  },
};
