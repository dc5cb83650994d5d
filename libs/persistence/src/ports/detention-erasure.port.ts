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
 * A detention id's keyed hashes: under the current key first (what the erased rows get), then
 * under each previous key (what rows filed before a rotation are found by; ADR 0023).
 */
export type DetentionPseudonyms = (detentionId: string) => readonly string[];

/**
 * Erasure of a detention's personal data: payloads become envelope stubs (sealed values dropped)
 * and the detention id becomes its keyed hash in every table, so operations keep a pseudonymised
 * trace. A detention with deliveries still unsent waits: recipients hear everything first.
 */
export interface DetentionErasurePort {
  /** Withdrawn detentions whose withdrawal went out to every recipient. Returns how many. */
  eraseDelivered(pseudonyms: DetentionPseudonyms, limit: number): Promise<number>;
  /** Detentions past their tenant's retention period (per tenant cutoff). Returns how many. */
  eraseExpired(
    cutoffs: readonly RetentionCutoff[],
    pseudonyms: DetentionPseudonyms,
    limit: number,
  ): Promise<number>;
  /** Which of these keyed hashes belong to an erased detention (what the hub must no longer pass on). */
  erasedAmong(pseudonyms: readonly string[]): Promise<Set<string>>;
}
