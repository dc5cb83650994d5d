export const DATA_CIPHER = Symbol('DATA_CIPHER');

/**
 * Where a sealed value lives (table.column). It is bound into the ciphertext as associated data,
 * so a value copied into another column no longer opens.
 */
export type SealContext =
  | 'inbound_event.event'
  | 'delivery.message'
  | 'connector_result.event'
  | 'dead_letter.payload'
  | 'aftercare_case.state'
  | 'aftercare_case.conditions';

/**
 * Encryption at rest of the personal data the hub keeps (docs/adr/0008-encryption-at-rest.md).
 * Several keys can open, one (the active key) seals; every sealed value names its key, so keys can
 * be rotated while the hub runs.
 */
export interface DataCipherPort {
  readonly activeKeyId: string;
  knows(keyId: string): boolean;
  seal(plain: Buffer, context: SealContext): Buffer;
  /** Throws when the value was not sealed for this context or its key is unknown (never data). */
  open(sealed: Buffer, context: SealContext): Buffer;
  keyIdOf(sealed: Buffer): string;
  sealJson(value: unknown, context: SealContext): Buffer;
  openJson<T = Record<string, unknown>>(sealed: Buffer, context: SealContext): T;
}
