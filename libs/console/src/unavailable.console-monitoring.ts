import { Injectable } from '@nestjs/common';
import { ConsoleMonitoringPort, Monitored } from './console-monitoring.port';

/**
 * The binding until the monitoring backend is wired in: every view says it is not available yet,
 * rather than showing invented figures.
 */
@Injectable()
export class UnavailableConsoleMonitoring implements ConsoleMonitoringPort {
  private readonly answer: Monitored<never> = {
    available: false,
    reason: 'The monitoring backend is not available yet in this build.',
  };

  channels() {
    return Promise.resolve(this.answer);
  }
  incidents() {
    return Promise.resolve(this.answer);
  }
  instances() {
    return Promise.resolve(this.answer);
  }
}
