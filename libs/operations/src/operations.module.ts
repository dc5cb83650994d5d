import { Module } from '@nestjs/common';
import { IngestionCoreModule } from '@nazorg/ingestion';
import { BrokerDeadLettersService } from './broker-dead-letters.service';
import { DisclosureLogService } from './disclosure-log.service';
import { FlowStatsService } from './flow-stats.service';
import { HealthController } from './health.controller';
import { OperationsController } from './operations.controller';
import { OpsCredentials } from './ops-credentials';

@Module({
  imports: [IngestionCoreModule],
  controllers: [OperationsController, HealthController],
  providers: [OpsCredentials, FlowStatsService, DisclosureLogService, BrokerDeadLettersService],
})
export class OperationsModule {}
