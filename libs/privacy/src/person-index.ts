import { createHmac, hkdfSync } from 'node:crypto';

/** HKDF `info` of the access-request key: a purpose of its own, so no other keyed id can be matched to it. */
const PURPOSE = 'nazorg-hub/access-request/person-index/v1';

/**
 * The blind index of a person's BSN (AVG art. 15 access requests, ADR 0025): HMAC-SHA256 under a
 * key derived (HKDF-SHA256) from PSEUDONYM_KEY for this purpose only. The hub stores the index,
 * never the BSN, and a coordinator's request computes it from the BSN it was given. Without the key
 * the index cannot be reversed by trying the few hundred million valid BSNs.
 */
export class PersonIndex {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), PURPOSE, 32));
  }

  of(bsn: string): string {
    return createHmac('sha256', this.key).update(`bsn\u0000${bsn}`, 'utf8').digest('base64url');
  }
}
