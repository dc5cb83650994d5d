import { OpenApiOptions } from '@nazorg/http';
import { INGEST_BEARER } from './events.controller';

/** What the hub's OpenAPI document (`/api/openapi.json` on the hub) says about itself. */
export const INGEST_OPENAPI: OpenApiOptions = {
  title: 'Nazorg Hub ingest API',
  description:
    "HTTP ingress of the justice chain feed (CONTRACT section 2), and the hub's health probes. Every " +
    'non-2xx answer is application/problem+json (RFC 9457).',
  version: '1',
  bearer: {
    [INGEST_BEARER]: 'INGEST_TOKEN_INJUS or INGEST_TOKEN_DPAN: each may post events of its own source',
  },
};
