import { ApiProperty } from '@nestjs/swagger';

class DisclosureRecord {
  @ApiProperty() recipientId: string;
  @ApiProperty() recipientKind: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ type: [String] }) fieldPaths: string[];
  @ApiProperty() processingActivity: string;
  @ApiProperty() legalGround: string;
  @ApiProperty({ type: 'string', nullable: true }) privacyProfileVersion: string | null;
  @ApiProperty({ format: 'date-time' }) disclosedAt: Date;
  @ApiProperty() traceId: string;
  @ApiProperty() spanId: string;
}

export class DisclosuresResponse {
  @ApiProperty() detentionId: string;
  @ApiProperty({ type: [DisclosureRecord] }) records: DisclosureRecord[];
}
