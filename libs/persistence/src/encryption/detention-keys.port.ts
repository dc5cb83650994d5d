import { SqlExecutor } from './data-cipher.port';

export const DETENTION_KEYS = Symbol('DETENTION_KEYS');

/** A detention's data key as stored: wrapped (sealed) by a key of the master ring. */
export interface StoredDetentionKey {
  id: string;
  masterKeyId: string;
  wrapped: Buffer;
}

/**
 * Where the detentions' data keys live (table `detention_key`, ADR 0026), one per detention
 * pseudonym (the subject). Only wrapped keys pass through here; the cipher wraps and unwraps.
 */
export interface DetentionKeysPort {
  /**
   * The subject's key; `candidate` (a fresh key, already wrapped under that id) is stored when the
   * subject has none. In `db`'s transaction when given, else in the caller's unit of work.
   */
  findOrAdd(subject: string, candidate: StoredDetentionKey, db?: SqlExecutor): Promise<StoredDetentionKey>;
  /**
   * `findOrAdd` for several subjects in one statement; a subject whose candidate lost a race with
   * another transaction is absent from the map (ask `findOrAdd` for it).
   */
  findOrAddAll(
    candidates: readonly { subject: string; candidate: StoredDetentionKey }[],
    db?: SqlExecutor,
  ): Promise<Map<string, StoredDetentionKey>>;
  /** The keys these subjects have (one statement); a subject without one is absent from the map. */
  findAll(subjects: readonly string[], db?: SqlExecutor): Promise<Map<string, StoredDetentionKey>>;
  byId(id: string): Promise<StoredDetentionKey | undefined>;
  /** Destroys the keys of these subjects (crypto-shredding); returns the destroyed keys' ids. */
  destroy(subjects: readonly string[], db?: SqlExecutor): Promise<string[]>;
}
