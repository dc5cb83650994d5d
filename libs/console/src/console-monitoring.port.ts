import type { ChannelsSnapshot, IncidentView, InstanceView } from '@nazorg/monitoring';
/**
 * What the console shows of the monitoring backend (`libs/monitoring`): lag and stuck channels,
 * incidents (alerts to humans) and app instances. The shapes are the monitoring endpoints' JSON;
 * the console reads them through this port so it does not depend on how they are computed.
 */
export const CONSOLE_MONITORING = Symbol('CONSOLE_MONITORING');

/** The monitoring endpoints' own shapes, one definition (libs/monitoring), under the console's names. */
export type ChannelsReport = ChannelsSnapshot;
export type Incident = IncidentView;
export type InstanceReport = InstanceView;

/** `available: false` while no monitoring backend is bound (the page says so instead of guessing). */
export type Monitored<T> = { available: true; data: T } | { available: false; reason: string };

export interface ConsoleMonitoringPort {
  channels(): Promise<Monitored<ChannelsReport>>;
  incidents(): Promise<Monitored<{ incidents: Incident[] }>>;
  instances(): Promise<Monitored<{ instances: InstanceReport[] }>>;
}
