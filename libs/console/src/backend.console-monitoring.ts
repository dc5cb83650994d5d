import { Injectable, Logger } from '@nestjs/common';
import { ChannelHealthService, IncidentService, InstanceRegistry } from '@nazorg/monitoring';
import { loggableError } from '@nazorg/privacy';
import {
  ChannelsReport,
  ConsoleMonitoringPort,
  Incident,
  InstanceReport,
  Monitored,
} from './console-monitoring.port';

/**
 * The console's views of `libs/monitoring`, in-process. The console filters per role itself, so
 * this asks for everything; a failing sample (broker away) shows as "not available" on the page
 * instead of an error page, and is logged without data.
 */
@Injectable()
export class BackendConsoleMonitoring implements ConsoleMonitoringPort {
  private readonly logger = new Logger(BackendConsoleMonitoring.name);

  constructor(
    private readonly channelHealth: ChannelHealthService,
    private readonly incidentService: IncidentService,
    private readonly registry: InstanceRegistry,
  ) {}

  channels(): Promise<Monitored<ChannelsReport>> {
    return this.attempt('channels', () => this.channelHealth.snapshot(null));
  }

  incidents(): Promise<Monitored<{ incidents: Incident[] }>> {
    return this.attempt('incidents', async () => ({
      incidents: await this.incidentService.list('all', null),
    }));
  }

  instances(): Promise<Monitored<{ instances: InstanceReport[] }>> {
    return this.attempt('instances', async () => ({ instances: await this.registry.list() }));
  }

  private async attempt<T>(what: string, read: () => Promise<T>): Promise<Monitored<T>> {
    try {
      return { available: true, data: await read() };
    } catch (error) {
      this.logger.warn(`monitoring ${what} unavailable: ${loggableError(error)}`);
      return {
        available: false,
        reason: `The ${what} could not be read just now; it is retried on refresh.`,
      };
    }
  }
}
