/**
 * What the console shows of the monitoring backend (`libs/monitoring`): lag and stuck channels,
 * incidents (alerts to humans) and app instances. The shapes are the monitoring endpoints' JSON;
 * the console reads them through this port so it does not depend on how they are computed.
 */
export const CONSOLE_MONITORING = Symbol('CONSOLE_MONITORING');

export interface ChannelsReport {
  checkedAt: string;
  stuckAfterSeconds: number;
  kafka: {
    topic: string;
    partition: number;
    committedOffset: string | number;
    endOffset: string | number;
    lag: number;
    oldestUnconsumedAgeSeconds: number | null;
    stuck: boolean;
    stuckSince: string | null;
  }[];
  queues: {
    queue: string;
    depth: number;
    consumers: number;
    oldestMessageAgeSeconds: number | null;
    stuck: boolean;
    stuckSince: string | null;
  }[];
  recipients: {
    recipientId: string;
    tenant: string | null;
    pending: number;
    failing: number;
    oldestPendingAgeSeconds: number | null;
    nextAttemptAt: string | null;
    stuck: boolean;
    stuckSince: string | null;
  }[];
}

export type IncidentCondition = 'channel-stuck' | 'recipient-failing' | 'deadline-missed';

export interface Incident {
  id: string;
  condition: IncidentCondition;
  subject: string;
  tenant: string | null;
  raisedAt: string;
  clearedAt: string | null;
  notifiedAt: string | null;
  summary: string;
}

export interface InstanceReport {
  app: string;
  instanceId: string;
  version: string;
  host: string;
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
  lastHeartbeatAt: string;
  healthy: boolean;
}

/** `available: false` while no monitoring backend is bound (the page says so instead of guessing). */
export type Monitored<T> = { available: true; data: T } | { available: false; reason: string };

export interface ConsoleMonitoringPort {
  channels(): Promise<Monitored<ChannelsReport>>;
  incidents(): Promise<Monitored<{ incidents: Incident[] }>>;
  instances(): Promise<Monitored<{ instances: InstanceReport[] }>>;
}
