export const PSEUDONYMIZER = Symbol('PSEUDONYMIZER');

/**
 * Keyed ids for what operations may see (CONTRACT section 4): pseudonyms of identifiers and
 * UUIDs of the hub's own messages. One provider per app (PrivacyModule); plain code outside Nest
 * uses `pseudonymizerFrom(config)`.
 */
export interface PseudonymizerPort {
  /** The keyed hash (`p-…`) of a value under the current key: what new rows and operations get. */
  pseudonym(value: string): string;
  /**
   * The pseudonym of `value` under the current key first, then under each previous key
   * (PSEUDONYM_PREVIOUS_KEYS), without repeats: for finding rows written before a rotation, such as
   * the trace of an erased detention.
   */
  candidates(value: string): string[];
  /** A UUID keyed on its parts (stable per parts, meaningless without the key). */
  uuid(...parts: string[]): string;
  /**
   * The UUID of these parts under the current key first, then under each previous key: what an id
   * planned before a rotation was, so the same message is not planned again under a new id.
   */
  uuidCandidates(...parts: string[]): string[];
}
