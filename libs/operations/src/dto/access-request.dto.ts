import { ApiProperty } from '@nestjs/swagger';
import { IsBsn } from '@nazorg/contracts';

/** In the body, never in the URL: a BSN in a path or query ends up in access logs and browser history. */
export class AccessRequestBody {
  @ApiProperty({ description: 'the BSN of the person asking (9 digits, eleven-test)', example: '999990019' })
  @IsBsn({ message: 'must be a BSN (9 digits passing the eleven-test)' })
  bsn: string;
}

class AccessRequestDisclosureSchema {
  @ApiProperty() detentionId: string;
  @ApiProperty() recipientId: string;
  @ApiProperty() recipientKind: string;
  @ApiProperty({ description: 'who the recipient is, in words' }) organisation: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ type: [String] }) fieldPaths: string[];
  @ApiProperty() processingActivity: string;
  @ApiProperty({ description: 'the processing activity, in words' }) purpose: string;
  @ApiProperty() legalGround: string;
  @ApiProperty({ format: 'date-time' }) disclosedAt: Date;
}

class AccessRequestOrganisationSchema {
  @ApiProperty() recipientId: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ type: [String] }) fieldPaths: string[];
  @ApiProperty({ type: [String] }) purposes: string[];
  @ApiProperty({ type: [String] }) legalGrounds: string[];
  @ApiProperty({ format: 'date-time' }) firstDisclosedAt: Date;
  @ApiProperty({ format: 'date-time' }) lastDisclosedAt: Date;
  @ApiProperty() disclosures: number;
}

export class AccessRequestResponse {
  @ApiProperty() tenantId: string;
  @ApiProperty() tenantName: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: Date;
  @ApiProperty({ type: [String], description: "the person's detentions in the tenant (erased ones never)" })
  detentionIds: string[];
  @ApiProperty({ type: [AccessRequestOrganisationSchema] }) organisations: AccessRequestOrganisationSchema[];
  @ApiProperty({ type: [AccessRequestDisclosureSchema] }) disclosures: AccessRequestDisclosureSchema[];
}
