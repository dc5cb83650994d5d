import { Module } from '@nestjs/common';
import { RetentionPurgeService } from './retention-purge.service';

/** Scheduled retention purge; needs ConfigModule and PersistenceModule (global). Hub only. */
@Module({ providers: [RetentionPurgeService], exports: [RetentionPurgeService] })
export class RetentionModule {}
