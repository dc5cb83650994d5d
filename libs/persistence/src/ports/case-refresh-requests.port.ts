export const CASE_REFRESH_REQUESTS = Symbol('CASE_REFRESH_REQUESTS');

/** Requests to project a detention's case again (CaseRefreshWorker answers them, in its own work). */
export interface CaseRefreshRequestsPort {
  /**
   * In the caller's unit of work; a renewed request gets its own attempts (ADR 0013). Wakes the
   * worker on commit.
   */
  request(detentionIds: readonly string[]): Promise<void>;
}
