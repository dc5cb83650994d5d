import { createHmac } from 'node:crypto';
import { AppConfig } from '@nazorg/config';
import { purposeKey } from './purpose-keys';

/**
 * The blind index of a person's BSN (AVG art. 15 access requests, ADR 0025): HMAC-SHA256 under a
 * key derived (HKDF-SHA256, purpose `personIndex`, ADR 0023) from PSEUDONYM_KEY for this purpose
 * only. The hub stores the index, never the BSN, and a coordinator's request computes it from the
 * BSN it was given. Without the key the index cannot be reversed by trying the few hundred million
 * valid BSNs. After a rotation, `candidates` also gives the index under each previous secret.
 */
export class PersonIndex {
  /** Current key first. */
  private readonly keys: Buffer[];

  constructor(secret: string, previousSecrets: readonly string[] = []) {
    this.keys = [...new Set([secret, ...previousSecrets])].map((s) => purposeKey(s, 'personIndex'));
  }

  /** The index under the current key: what new rows get. */
  of(bsn: string): string {
    return indexUnder(this.keys[0], bsn);
  }

  /** The index under the current key, then under each previous one: for lookups. */
  candidates(bsn: string): string[] {
    return this.keys.map((key) => indexUnder(key, bsn));
  }
}

function indexUnder(key: Buffer, bsn: string): string {
  return createHmac('sha256', key).update(`bsn\u0000${bsn}`, 'utf8').digest('base64url');
}

/** The person index of a configuration (current and previous pseudonym secrets). */
export function personIndexFrom(config: AppConfig): PersonIndex {
  return new PersonIndex(config.PSEUDONYM_KEY, config.pseudonymPreviousKeys());
}
