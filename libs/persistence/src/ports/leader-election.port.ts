/**
 * Who runs a job that must run once among all instances of an app (housekeeping, the monitor):
 * one leader per role among every process on the same database (ADR 0019).
 */
export const LEADER_ELECTION = Symbol('LEADER_ELECTION');

/** The hub's housekeeping: retention purge, aftercare scan, re-sealing under the active data key. */
export const HOUSEKEEPING_ROLE = 'hub-housekeeping';
/** The ops app's monitor loop (channels, incidents, alerts). */
export const MONITOR_ROLE = 'ops-monitor';

export interface LeaderElectionPort {
  /** Whether this process leads `role` now; the first call (or onElected) enters the election. */
  isLeader(role: string): boolean;
  /**
   * Enters the election for `role` and calls `listener` each time this process becomes its leader
   * (at start if nobody else leads, or when the leader is gone).
   */
  onElected(role: string, listener: () => void): void;
}
