import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DeadLetterStatus } from '../dead-letters.service';

export const DEAD_LETTER_STATUSES: DeadLetterStatus[] = ['open', 'replayed', 'purged'];

export class DeadLettersQuery {
  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES, { message: 'must be open, replayed or purged' })
  status?: DeadLetterStatus;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 500' })
  @Min(1, { message: 'must be an integer from 1 to 500' })
  @Max(500, { message: 'must be an integer from 1 to 500' })
  limit: number = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @Type(() => Number)
  @IsInt({ message: 'must be a non-negative integer' })
  @Min(0, { message: 'must be a non-negative integer' })
  offset: number = 0;
}
