import { createHmac } from 'node:crypto';
import { AppConfig } from '@nazorg/config';
import { PseudonymizerPort } from './pseudonymizer.port';
import { purposeKey } from './purpose-keys';

/**
 * The keyed hash that replaces identifiers for operations (CONTRACT section 4): HMAC-SHA256, stable
 * per value, so a flow can be followed without knowing whom it is about. Pseudonyms and keyed UUIDs
 * each have a key of their own, derived from PSEUDONYM_KEY (ADR 0023); pseudonyms are also
 * computed under the keys derived from PSEUDONYM_PREVIOUS_KEYS, to find what a rotation left.
 */
export class Pseudonymizer implements PseudonymizerPort {
  /** The pseudonym keys, the current one first. */
  private readonly pseudonymKeys: Buffer[];
  /** The keyed-UUID keys, the current one first. */
  private readonly uuidKeys: Buffer[];

  constructor(secret: string, previousSecrets: readonly string[] = []) {
    const secrets = [...new Set([secret, ...previousSecrets])];
    this.pseudonymKeys = secrets.map((s) => purposeKey(s, 'pseudonym'));
    this.uuidKeys = secrets.map((s) => purposeKey(s, 'keyedUuid'));
  }

  pseudonym(value: string): string {
    return pseudonymUnder(this.pseudonymKeys[0], value);
  }

  candidates(value: string): string[] {
    return this.pseudonymKeys.map((key) => pseudonymUnder(key, value));
  }

  /**
   * A UUID (RFC 9562 version 8, custom) keyed on its parts: the same parts always give the same id,
   * but without the key nobody can tell which parts. For ids the hub derives from a detention id:
   * an unkeyed name-based UUID would stay behind after erasure (delivery and disclosure ids) and
   * let anyone who tries DJI's enumerable detention ids find whom it was about.
   */
  uuid(...parts: string[]): string {
    return uuidUnder(this.uuidKeys[0], parts);
  }

  uuidCandidates(...parts: string[]): string[] {
    return this.uuidKeys.map((key) => uuidUnder(key, parts));
  }
}

function uuidUnder(key: Buffer, parts: readonly string[]): string {
  // Own prefix as well as its own key: a uuid never equals the pseudonym of the same text.
  const hash = createHmac('sha256', key)
    .update(`uuid\u0000${parts.join('\u0000')}`, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x80;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function pseudonymUnder(key: Buffer, value: string): string {
  return 'p-' + createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 32);
}

/** The pseudonymiser of a configuration, for code that runs outside Nest (fault suite, scripts). */
export function pseudonymizerFrom(config: AppConfig): PseudonymizerPort {
  return new Pseudonymizer(config.PSEUDONYM_KEY, config.pseudonymPreviousKeys());
}
