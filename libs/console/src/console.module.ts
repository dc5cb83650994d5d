import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { IngestionCoreModule } from '@nazorg/ingestion';
import {
  DeadLettersService,
  FlowStatsService,
  OpsCredentialsService,
  RegistrationReportService,
} from '@nazorg/operations';
import { CaseTraceService } from './case-trace.service';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleFailuresController } from './console-failures.controller';
import { ConsoleFlowsController } from './console-flows.controller';
import { ConsoleFlowsService } from './console-flows.service';
import { CONSOLE_MONITORING, ConsoleMonitoringPort } from './console-monitoring.port';
import { ConsoleSessionService } from './console-session.service';
import { ConsoleViewsController } from './console-views.controller';
import { UnavailableConsoleMonitoring } from './unavailable.console-monitoring';

export interface ConsoleModuleOptions {
  /** The monitoring backend behind the channels, alerts and instances views (default: none yet). */
  monitoring?: Type<ConsoleMonitoringPort>;
  /** Modules the monitoring binding needs. */
  imports?: ModuleMetadata['imports'];
}

/**
 * The operations console: server-rendered pages at the ops app's root (ADR 0011). Needs
 * ConfigModule, PersistenceModule and MessagingModule in the application (all global); reads
 * through the operations services, never over HTTP.
 */
@Module({})
export class ConsoleModule {
  static register(options: ConsoleModuleOptions = {}): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [IngestionCoreModule, ...(options.imports ?? [])],
      controllers: [
        ConsoleAssetsController,
        ConsoleAuthController,
        ConsoleFlowsController,
        ConsoleFailuresController,
        ConsoleViewsController,
      ],
      providers: [
        OpsCredentialsService,
        FlowStatsService,
        DeadLettersService,
        RegistrationReportService,
        ConsoleSessionService,
        ConsoleFlowsService,
        CaseTraceService,
        { provide: CONSOLE_MONITORING, useClass: options.monitoring ?? UnavailableConsoleMonitoring },
      ],
    };
  }
}
