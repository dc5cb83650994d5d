import { DynamicModule, Module } from '@nestjs/common';
import { OpsHttpModule } from '@nazorg/operations';
import { AlertNotifier } from './alert-notifier';
import { ChannelHealthService } from './channel-health.service';
import { IncidentService } from './incident.service';
import { APP_NAME, InstanceHeartbeat } from './instance-heartbeat';
import { InstanceRegistry } from './instance-registry.service';
import { MonitorLoop } from './monitor.loop';
import { MonitoringController } from './monitoring.controller';

/**
 * Channel health, incidents and the instance list, for the ops app (one process runs the monitor
 * loop). Needs ConfigModule, PersistenceModule and MessagingModule (global).
 */
@Module({
  imports: [OpsHttpModule],
  controllers: [MonitoringController],
  providers: [AlertNotifier, ChannelHealthService, IncidentService, InstanceRegistry, MonitorLoop],
  exports: [ChannelHealthService, IncidentService, InstanceRegistry, MonitorLoop],
})
export class MonitoringModule {}

/** The heartbeat of one app (`app`: hub, ops, connector-brp, ...); needs ConfigModule only. */
@Module({})
export class HeartbeatModule {
  static forApp(app: string): DynamicModule {
    return {
      module: HeartbeatModule,
      providers: [{ provide: APP_NAME, useValue: app }, InstanceHeartbeat],
      exports: [InstanceHeartbeat],
    };
  }
}
