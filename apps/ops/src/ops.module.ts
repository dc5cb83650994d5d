import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigModuleOptions } from '@nazorg/config';
import { BackendConsoleMonitoring, ConsoleModule } from '@nazorg/console';
import { MessagingModule } from '@nazorg/messaging';
import { HeartbeatModule, MonitoringModule } from '@nazorg/monitoring';
import { ObservabilityModule } from '@nazorg/observability';
import { OperationsModule } from '@nazorg/operations';
import { PersistenceModule } from '@nazorg/persistence';
import { PrivacyModule } from '@nazorg/privacy';

@Module({})
export class OpsModule {
  /** `config.env` replaces process.env (tests). */
  static forRoot(config: ConfigModuleOptions = {}): DynamicModule {
    return {
      module: OpsModule,
      imports: [
        ConfigModule.forRoot(config),
        PrivacyModule,
        MessagingModule.forRoot({ identity: 'ops' }),
        PersistenceModule,
        OperationsModule,
        MonitoringModule,
        ConsoleModule.register({ monitoring: BackendConsoleMonitoring, imports: [MonitoringModule] }),
        HeartbeatModule.forApp('ops'),
        ObservabilityModule.forRoot({ app: 'ops' }),
      ],
    };
  }
}
