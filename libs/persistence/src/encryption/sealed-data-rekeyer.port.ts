export const SEALED_DATA_REKEYER = Symbol('SEALED_DATA_REKEYER');

/**
 * How many stored values each ring key protects (directly, or by wrapping their detention's key);
 * `clear` counts values from before encryption at rest, `shredded` values whose detention key
 * erasure destroyed.
 */
export type SealedValueCensus = Record<string, number>;

export interface SealedDataRekeyerPort {
  census(): Promise<SealedValueCensus>;
  /**
   * Re-seals up to `limit` values per table that are not under the active key (or still in clear)
   * and returns how many it re-sealed. Rows in use by another transaction are skipped, not waited for.
   */
  resealBatch(limit: number): Promise<number>;
}
