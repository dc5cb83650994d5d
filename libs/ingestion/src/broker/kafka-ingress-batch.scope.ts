import { Injectable } from '@nestjs/common';
import { BatchScope } from '@nazorg/messaging';
import { IngestionService } from '../ingestion.service';

/**
 * The Kafka ingress's batch scope (ADR 0022, 0028): a batch of a partition's records is one
 * transaction, and the event store reads and writes for all of them at once.
 */
@Injectable()
export class KafkaIngressBatchScope implements BatchScope {
  constructor(private readonly ingestion: IngestionService) {}

  run<T>(work: () => Promise<T>, values: readonly Buffer[] = []): Promise<T> {
    return this.ingestion.inBatch(values, work);
  }
}
