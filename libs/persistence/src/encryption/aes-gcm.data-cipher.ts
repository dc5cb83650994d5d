import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { DataCipherPort, SealContext } from './data-cipher.port';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random 96-bit nonce per value. Layout of a sealed value:
 * `version (1) | key id length (1) | key id | nonce (12) | tag (16) | ciphertext`.
 * The key id travels in clear so rotation can find what an old key sealed; the table and column
 * are authenticated (not stored) so a value cannot be moved between columns unnoticed.
 */
@Injectable()
export class AesGcmDataCipher implements DataCipherPort {
  readonly activeKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(config: AppConfig) {
    this.keys = config.dataKeys();
    this.activeKeyId = config.DATA_KEY_ID;
  }

  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  seal(plain: Buffer, context: SealContext): Buffer {
    const keyId = Buffer.from(this.activeKeyId, 'utf8');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.activeKeyId), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION, keyId.length]), keyId, iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, context: SealContext): Buffer {
    const keyId = this.keyIdOf(sealed);
    const offset = 2 + sealed[1];
    const iv = sealed.subarray(offset, offset + IV_BYTES);
    const tag = sealed.subarray(offset + IV_BYTES, offset + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(offset + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new Error(`a value sealed with key ${keyId} does not open as ${context}`);
    }
  }

  keyIdOf(sealed: Buffer): string {
    if (sealed.length < 2 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
      throw new Error('not a sealed value');
    }
    return sealed.subarray(2, 2 + sealed[1]).toString('utf8');
  }

  sealJson(value: unknown, context: SealContext): Buffer {
    return this.seal(Buffer.from(JSON.stringify(value), 'utf8'), context);
  }

  openJson<T = Record<string, unknown>>(sealed: Buffer, context: SealContext): T {
    return JSON.parse(this.open(sealed, context).toString('utf8')) as T;
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`data key ${keyId} is not in DATA_KEYS`);
    return key;
  }
}
