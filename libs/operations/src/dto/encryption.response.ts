import { ApiProperty } from '@nestjs/swagger';
import { COUNTS_BY_ID } from './schema-helpers';

export class EncryptionResponse {
  @ApiProperty({ example: 'demo-2026' }) activeKey: string;
  @ApiProperty({ ...COUNTS_BY_ID, description: 'stored values per data key (`clear`: from before sealing)' })
  sealedValuesByKey: Record<string, number>;
}
