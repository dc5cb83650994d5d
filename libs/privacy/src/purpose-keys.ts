import { hkdfSync } from 'node:crypto';

/**
 * What each key derived from the pseudonym secrets is for (ADR 0023). The `info` label names the
 * purpose and a version, so one secret gives unrelated keys, and a purpose can change how it
 * derives (v2) without touching the others. Labels are stored facts: a changed label changes every
 * value keyed with it, so never edit one in place.
 */
export const KEY_PURPOSES = {
  /** The detention pseudonym operations see (`p-…`), and what remains of an erased detention. */
  pseudonym: 'nazorg-hub/pseudonym/v1',
  /** The keyed UUIDs of the hub's own ids (delivery ids, aftercare messages). */
  keyedUuid: 'nazorg-hub/keyed-uuid/v1',
  /** The blind index of a BSN for access requests (ADR 0025; the label it had from the start). */
  personIndex: 'nazorg-hub/access-request/person-index/v1',
} as const;

export type KeyPurpose = keyof typeof KEY_PURPOSES;

/** Length of every derived key: that of the HMAC-SHA256 output. */
export const PURPOSE_KEY_BYTES = 32;

/**
 * The 32-byte key of one purpose, derived from a configured secret with HKDF-SHA256 (RFC 5869;
 * empty salt, the purpose's label as `info`). Stable: the same secret and purpose always give the
 * same key, and no derived key tells anything about the secret or another purpose's key.
 */
export function purposeKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEY_PURPOSES[purpose], PURPOSE_KEY_BYTES));
}
