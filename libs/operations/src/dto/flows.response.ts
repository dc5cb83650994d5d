import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { COUNTS_BY_ID } from './schema-helpers';

class ReceivedCounts {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty(COUNTS_BY_ID) byChannel: Record<string, number>;
  @ApiProperty(COUNTS_BY_ID) byType: Record<string, number>;
}

class StoredCounts {
  @ApiProperty({ type: 'integer' }) routed: number;
  @ApiProperty({ type: 'integer' }) unrouted: number;
  @ApiProperty({ type: 'integer' }) awaitingOrigin: number;
  @ApiProperty({ type: 'integer' }) withdrawn: number;
}

class RejectedCounts {
  @ApiProperty({ type: 'integer' }) open: number;
  @ApiProperty({ type: 'integer' }) replayed: number;
  @ApiProperty(COUNTS_BY_ID) byChannel: Record<string, number>;
}

const DELIVERY_COUNTS: ApiPropertyOptions = {
  type: 'object',
  description: 'per recipient id',
  additionalProperties: {
    type: 'object',
    properties: {
      published: { type: 'integer' },
      pending: { type: 'integer' },
      failing: { type: 'integer' },
    },
    required: ['published', 'pending', 'failing'],
  },
};

/** Counts per stage of the flow; ids of channels, types, tenants and recipients only. */
export class FlowsResponse {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) since: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'null: every tenant' }) tenant: string | null;
  @ApiProperty({ type: ReceivedCounts }) received: ReceivedCounts;
  @ApiProperty({ type: StoredCounts }) stored: StoredCounts;
  @ApiProperty({
    type: RejectedCounts,
    nullable: true,
    description: 'dead letters may belong to no tenant: only in the all-tenant view',
  })
  rejected: RejectedCounts | null;
  @ApiProperty(DELIVERY_COUNTS) deliveries: Record<
    string,
    { published: number; pending: number; failing: number }
  >;
  @ApiProperty({
    type: 'object',
    description: 'per connector result type, per outcome',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
  })
  results: Record<string, Record<string, number>>;
  @ApiProperty({ ...COUNTS_BY_ID, description: 'broker dead letters per recipient queue' })
  brokerDeadLetters: Record<string, number>;
}

export class ParkedProjectionsRetryResponse {
  @ApiProperty({ type: 'integer', description: 'parked case projections asked for again' }) retried: number;
}
