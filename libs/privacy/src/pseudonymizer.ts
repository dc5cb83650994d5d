import { createHmac } from 'node:crypto';

/**
 * The keyed hash that replaces identifiers for operations (CONTRACT section 4): HMAC-SHA256 with a
 * secret key, stable per value, so a flow can be followed without knowing whom it is about.
 */
export class Pseudonymizer {
  constructor(private readonly key: string) {}

  pseudonym(value: string): string {
    return 'p-' + createHmac('sha256', this.key).update(value, 'utf8').digest('hex').slice(0, 32);
  }

  /**
   * A UUID (RFC 9562 version 8, custom) keyed on its parts: the same parts always give the same id,
   * but without the key nobody can tell which parts. For ids the hub derives from a detention id:
   * an unkeyed name-based UUID would stay behind after erasure (delivery and disclosure ids) and
   * let anyone who tries DJI's enumerable detention ids find whom it was about.
   */
  uuid(...parts: string[]): string {
    // Own prefix: a uuid never equals the pseudonym of the same text.
    const hash = createHmac('sha256', this.key)
      .update(`uuid\u0000${parts.join('\u0000')}`, 'utf8')
      .digest();
    hash[6] = (hash[6] & 0x0f) | 0x80;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }
}
