export const DATA_CIPHER = Symbol('DATA_CIPHER');

/**
 * Where a sealed value lives (table.column). It is bound into the ciphertext as associated data,
 * together with the row's key, so a value copied into another column or another row no longer opens.
 */
export type SealContext =
  | 'inbound_event.event'
  | 'delivery.message'
  | 'connector_result.event'
  | 'dead_letter.payload'
  | 'aftercare_case.state'
  | 'aftercare_case.conditions'
  | 'disclosure_record.detention'
  | 'detention_key.wrapped';

/**
 * Whose data a value is: the detention, by its id or (where only that is kept, a dead letter) by
 * its pseudonym. Its values are sealed with that detention's own data key (ADR 0026).
 */
export type SealOwner = { detentionId: string } | { subjectPseudonym: string };

/** The place of a sealed value: its column and the key of its row (bound in as associated data). */
export interface SealedAt {
  context: SealContext;
  row: string;
}

/** A sealed value and what its row's `key_id` column records: `dk:<detention key id>` or a ring key id. */
export interface SealedValue {
  sealed: Buffer;
  keyId: string;
}

/** Executes SQL in the caller's transaction (TypeORM's EntityManager or DataSource). */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** `key_id` values naming a detention key start with this (ring key ids cannot hold a colon). */
export const DETENTION_KEY_PREFIX = 'dk:';

/**
 * Encryption at rest of the personal data the hub keeps (ADR 0008, 0026). Envelope encryption: each
 * detention's values are sealed with its own data key, and that key is stored wrapped by the master
 * key ring (DATA_KEYS, one active key seals, several open, so the ring rotates while the hub runs).
 * Erasure destroys the detention's key: a copy of its values (a backup, the WAL, a dead tuple) no
 * longer opens. Values no detention owns (a dead letter naming none) are sealed by the ring itself.
 */
export interface DataCipherPort {
  readonly activeKeyId: string;
  knows(keyId: string): boolean;
  /**
   * Seals under the owner's data key (created in `db`'s transaction when it has none yet, so a
   * rolled-back first value leaves no key behind), bound to `at`.
   */
  sealFor(plain: Buffer, owner: SealOwner, at: SealedAt, db?: SqlExecutor): Promise<SealedValue>;
  sealJsonFor(value: unknown, owner: SealOwner, at: SealedAt, db?: SqlExecutor): Promise<SealedValue>;
  /** Several values of one owner, with one look-up of its key. */
  sealAllFor(
    values: readonly { plain: Buffer; at: SealedAt }[],
    owner: SealOwner,
    db?: SqlExecutor,
  ): Promise<SealedValue[]>;
  /**
   * Values of several owners, with one look-up of all their keys (an owner without one yet gets it
   * as in `sealFor`); the answer in the order of `groups`.
   */
  sealEachFor(
    groups: readonly { owner: SealOwner; values: readonly { plain: Buffer; at: SealedAt }[] }[],
    db?: SqlExecutor,
  ): Promise<SealedValue[][]>;
  /**
   * Runs `work` with the data keys of these owners found, or added where missing, in one statement
   * in `db`'s transaction, so sealing for them inside `work` looks nothing up (a Kafka batch: one
   * statement instead of one per value). `db` must be the transaction `work` runs in, not a
   * savepoint of it: a key added here must not be undone while values sealed with it stay.
   */
  withKeysOf<T>(owners: readonly SealOwner[], db: SqlExecutor, work: () => Promise<T>): Promise<T>;
  /** Seals by the ring itself (values no detention owns), bound to `at`. */
  sealByRing(plain: Buffer, at: SealedAt): SealedValue;
  /**
   * Opens what any of the formats sealed (also values from before row binding). Throws when the
   * value was not sealed for this place, its ring key is unknown or its detention key was destroyed
   * (never data).
   */
  open(sealed: Buffer, at: SealedAt): Promise<Buffer>;
  openJson<T = Record<string, unknown>>(sealed: Buffer, at: SealedAt): Promise<T>;
  /** A stored detention key wrapped anew under the active ring key (rotation re-wraps, never re-seals). */
  rewrap(key: { id: string; masterKeyId: string; wrapped: Buffer }): Buffer;
  /** Forgets the unwrapped keys of these detention key ids (after erasure destroyed them). */
  forget(detentionKeyIds: readonly string[]): void;
}
