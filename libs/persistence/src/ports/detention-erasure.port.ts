import { KeyedHash } from '@nazorg/privacy';

export const DETENTION_ERASURE = Symbol('DETENTION_ERASURE');

export type ErasureReason = 'withdrawn' | 'retention';

/**
 * Detentions of `tenantId` released before `releasedBefore` are due. Of no tenant (`null`: an
 * unknown municipality, or events whose start never arrived), a detention never released is due
 * once its last event is older than `releasedBefore`.
 */
export interface RetentionCutoff {
  tenantId: string | null;
  releasedBefore: Date;
}

/**
 * Erasure of a detention's personal data: payloads become envelope stubs (sealed values dropped)
 * and the detention id becomes its keyed hash in every table, so operations keep a pseudonymised
 * trace; every other identifier that leads back to it (the feed's event ids, delivery and trace
 * ids derived from them, dead-letter hints) is keyed or dropped (ADR 0024). A detention with
 * deliveries still unsent waits: recipients hear everything first.
 */
export interface DetentionErasurePort {
  /** Withdrawn detentions whose withdrawal went out to every recipient. Returns how many. */
  /**
   * `keys`: the pseudonymiser. Erased rows get the current key's hashes; rows filed before a
   * rotation are found under the previous keys' too (`candidates`, ADR 0023).
   */
  eraseDelivered(keys: KeyedHash, limit: number): Promise<number>;
  /** Detentions past their tenant's retention period (per tenant cutoff). Returns how many. */
  eraseExpired(cutoffs: readonly RetentionCutoff[], keys: KeyedHash, limit: number): Promise<number>;
  /** Which of these keyed hashes belong to an erased detention (what the hub must no longer pass on). */
  erasedAmong(pseudonyms: readonly string[]): Promise<Set<string>>;
}
