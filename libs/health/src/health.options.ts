/**
 * What `/health/ready` checks: a dependency, or `components`, the app's own parts registered in
 * the ReadinessRegistry (the hub's ingresses, outbox relay and HTTP intake).
 */
export type ReadinessCheck = 'database' | 'rabbitmq' | 'kafka' | 'components';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** What readiness waits for: each needs its module in the app (TypeORM, MessagingModule). */
  readiness: ReadinessCheck[];
  /** A dependency that does not answer within this time counts as down (default 2000 ms). */
  timeoutMs?: number;
}
