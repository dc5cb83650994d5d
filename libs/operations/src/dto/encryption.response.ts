import { ApiProperty } from '@nestjs/swagger';
import { COUNTS_BY_ID } from './schema-helpers';

export class EncryptionResponse {
  @ApiProperty({ example: 'demo-2026' }) activeKey: string;
  @ApiProperty({
    ...COUNTS_BY_ID,
    description:
      'stored values per ring key, directly or through the detention key it wraps (`clear`: from before ' +
      'sealing; `shredded`: their detention key was destroyed by erasure, ADR 0026)',
  })
  sealedValuesByKey: Record<string, number>;
}
