export const DETENTION_CHANGE_LISTENER = Symbol('DETENTION_CHANGE_LISTENER');

/**
 * Told after an event or a connector result about a detention was stored (or found a duplicate,
 * as a redelivery after a crash may be all that is left to trigger it). Implemented by the
 * aftercare case projection; optional, so ingestion runs without it (e.g. replay from ops).
 */
export interface DetentionChangeListener {
  refresh(detentionId: string): Promise<unknown>;
}
