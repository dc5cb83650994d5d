import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { TenantField } from './tenant-id';

export class FlowsQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'count only what happened at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp' })
  since?: string;

  @TenantField('one tenant (operator); a coordinator always sees its own and may only name that one')
  tenant?: string;
}
