import { Module } from '@nestjs/common';
import { BrokerDeadLettersModule } from '@nazorg/delivery';
import { IngestionCoreModule } from '@nazorg/ingestion';
import { AftercareController } from './aftercare.controller';
import { DeadLettersService } from './dead-letters.service';
import { DisclosureLogService } from './disclosure-log.service';
import { FlowStatsService } from './flow-stats.service';
import { HealthController } from './health.controller';
import { OperationsController } from './operations.controller';
import { OpsCredentialsService } from './ops-credentials.service';
import { ReadinessService } from './readiness.service';
import { RegistrationReportService } from './registration-report.service';

/**
 * The operations API and its health probes. Needs ConfigModule, PersistenceModule and
 * MessagingModule in the application (all global); brings the ingestion pipeline for replays.
 */
@Module({
  imports: [IngestionCoreModule, BrokerDeadLettersModule],
  controllers: [OperationsController, AftercareController, HealthController],
  providers: [
    OpsCredentialsService,
    FlowStatsService,
    DisclosureLogService,
    DeadLettersService,
    ReadinessService,
    RegistrationReportService,
  ],
})
export class OperationsModule {}
