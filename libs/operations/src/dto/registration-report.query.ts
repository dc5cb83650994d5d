import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TenantField } from './tenant-id';

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class RegistrationReportQuery {
  @TenantField("the tenant (an operator must name one; a coordinator's defaults to its own)")
  tenant?: string;

  @ApiProperty({ pattern: MONTH.source, example: '2026-11', description: 'YYYY-MM' })
  @Matches(MONTH, { message: 'must be YYYY-MM' })
  month: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'default: csv when Accept asks for text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'must be json or csv' })
  format?: 'json' | 'csv';
}
