import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
  },
};

/** terminus' health check result, for the OpenAPI document. */
export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: string;

  @ApiPropertyOptional({ ...INDICATORS, description: 'indicators that are up' })
  info?: Record<string, { status: string }>;

  @ApiPropertyOptional({ ...INDICATORS, description: 'indicators that are down' })
  error?: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, description: 'every indicator' })
  details: Record<string, { status: string }>;
}

export class ReadinessSchema extends HealthSchema {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    example: { database: true, rabbitmq: true },
    description: 'one boolean per dependency (database, rabbitmq, kafka)',
  })
  checks: Record<string, boolean>;
}
