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
}
