import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COUNTS_BY_ID } from './schema-helpers';

class AlertItem {
  @ApiProperty({ description: 'the detention id (its coordinator) or its keyed hash (operators)' })
  detentionId: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ example: 'municipal-answer' }) deadline: string;
  @ApiProperty({ enum: ['threatened', 'missed'] }) status: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ format: 'date-time' }) raisedAt: Date;
}

export class AlertsResponse {
  @ApiProperty({ type: [AlertItem] }) items: AlertItem[];
}

/** The monthly registration figures of DOMAIN.md: counts only. */
export class RegistrationReportResponse {
  @ApiProperty() tenant: string;
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ type: 'integer' }) notifications: number;
  @ApiProperty({ type: 'integer' }) uniquePersons: number;
  @ApiProperty({ type: 'integer' }) withKnownLength: number;
  @ApiProperty({ type: 'integer' }) under90Days: number;
  @ApiProperty({ type: 'number', nullable: true }) shareUnder90DaysPercent: number | null;
  @ApiProperty({ type: 'integer' }) screened: number;
  @ApiProperty(COUNTS_BY_ID) problemsPerCondition: Record<string, number>;
  @ApiProperty(COUNTS_BY_ID) referralsPerPartner: Record<string, number>;
  @ApiProperty({ type: 'number', nullable: true }) medianDaysToMunicipalAnswer: number | null;
  @ApiProperty({ type: 'number', nullable: true }) medianDaysReleaseToFirstCareContact: number | null;
}

/** The aftercare case (a fold of the detention's events, ADR 0009); its fields in docs/aftercare-rules.md. */
export class CaseResponse {
  @ApiProperty() detentionId: string;
  @ApiPropertyOptional() status?: string;
  [field: string]: unknown;
}
