import { ApiProperty } from '@nestjs/swagger';
import { ViolationSchema } from '@nazorg/http';
import { DEAD_LETTER_STATUSES } from './dead-letters.query';

/** A rejected input as operations see it: why and whence, never its payload or event id. */
export class DeadLetterItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'kafka' }) channel: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: Date;
  @ApiProperty({ type: [ViolationSchema] }) violations: ViolationSchema[];
  @ApiProperty({ type: 'integer' }) payloadBytes: number;
  @ApiProperty({ type: 'string', nullable: true }) source: string | null;
  @ApiProperty({ type: 'string', nullable: true }) type: string | null;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES }) status: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) replayedAt: Date | null;
}

export class DeadLetterListResponse {
  @ApiProperty({ type: [DeadLetterItem] }) items: DeadLetterItem[];
}

export class DeadLetterReplayResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['stored', 'duplicate'] }) outcome: 'stored' | 'duplicate';
}

export class BrokerDeadLetterReplayResponse {
  @ApiProperty({ example: 'recipient.brp-eemland-zuid' }) queue: string;
  @ApiProperty({ type: 'integer', description: 'moved back to the queue' }) moved: number;
  @ApiProperty({ type: 'integer', description: 'dropped: about an erased detention' }) droppedErased: number;
}
