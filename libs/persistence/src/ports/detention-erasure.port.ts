export const DETENTION_ERASURE = Symbol('DETENTION_ERASURE');

export interface DetentionErasurePort {
  /**
   * Erases the personal data of withdrawn detentions whose withdrawal has been delivered to every
   * recipient: payloads become envelope stubs and the detention id becomes its keyed hash in every
   * table, so operations keep a pseudonymised trace. Returns how many detentions were erased.
   */
  eraseDelivered(pseudonym: (detentionId: string) => string, limit: number): Promise<number>;
}
