import { Module } from '@nestjs/common';
import { BrokerDeadLettersModule } from '@nazorg/delivery';
import { RetentionPurgeService } from './retention-purge.service';

/** Scheduled retention purge; needs ConfigModule and PersistenceModule (global). Hub only. */
@Module({
  imports: [BrokerDeadLettersModule],
  providers: [RetentionPurgeService],
  exports: [RetentionPurgeService],
})
export class RetentionModule {}
