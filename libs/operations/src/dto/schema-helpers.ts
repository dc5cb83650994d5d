import { ApiPropertyOptions } from '@nestjs/swagger';

/** OpenAPI schema of a map from ids (channels, types, recipients, queues) to counts. */
export const COUNTS_BY_ID: ApiPropertyOptions = { type: 'object', additionalProperties: { type: 'integer' } };
