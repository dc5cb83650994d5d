import { Module } from '@nestjs/common';
import { BrokerDeadLettersModule } from '@nazorg/delivery';
import { HealthModule } from '@nazorg/health';
import { IngestionCoreModule } from '@nazorg/ingestion';
import { AccessRequestController } from './access-request.controller';
import { AccessRequestService } from './access-request.service';
import { AftercareController } from './aftercare.controller';
import { OpsHttpModule } from './auth/ops-http.module';
import { DeadLettersService } from './dead-letters.service';
import { DisclosureLogService } from './disclosure-log.service';
import { FlowStatsService } from './flow-stats.service';
import { OperationsController } from './operations.controller';
import { RegistrationReportService } from './registration-report.service';

/**
 * The operations API and its health probes. Needs ConfigModule, PersistenceModule and
 * MessagingModule in the application (all global); brings the ingestion pipeline for replays and
 * the ops HTTP layer (guard, validation) for every controller of the app.
 */
@Module({
  imports: [
    OpsHttpModule,
    IngestionCoreModule,
    BrokerDeadLettersModule,
    HealthModule.forRoot({ readiness: ['database', 'rabbitmq'] }),
  ],
  controllers: [OperationsController, AftercareController, AccessRequestController],
  providers: [
    FlowStatsService,
    DisclosureLogService,
    DeadLettersService,
    RegistrationReportService,
    AccessRequestService,
  ],
  exports: [OpsHttpModule],
})
export class OperationsModule {}
