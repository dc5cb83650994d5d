import { AsyncLocalStorage } from 'node:async_hooks';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import {
  DataCipherPort,
  DETENTION_KEY_PREFIX,
  SealContext,
  SealedAt,
  SealedValue,
  SealOwner,
  SqlExecutor,
} from './data-cipher.port';
import { DETENTION_KEYS, DetentionKeysPort, StoredDetentionKey } from './detention-keys.port';

/** v1: by a ring key, bound to the column only (written before ADR 0026; still opened). */
const RING_COLUMN = 1;
/** v2: by a detention's data key, bound to column and row. */
const DETENTION = 2;
/** v3: by a ring key, bound to column and row (values no detention owns, wrapped detention keys). */
const RING_ROW = 3;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Unwrapped detention keys kept in memory: bounded, and forgotten after a while (an erasure on another hub). */
const CACHE_ENTRIES = 20_000;
const CACHE_MS = 10 * 60_000;

/**
 * AES-256-GCM with a random 96-bit nonce per value and envelope encryption (ADR 0008, 0026).
 * Layouts: v1 `1 | key id length | ring key id | nonce | tag | ciphertext` (associated data: the
 * column); v2 `2 | detention key id (16-byte UUID) | nonce | tag | ciphertext` and v3
 * `3 | key id length | ring key id | nonce | tag | ciphertext` (associated data: column and row).
 * Key ids travel in clear so rotation finds what an old key sealed; column and row are authenticated,
 * not stored.
 */
@Injectable()
export class AesGcmDataCipher implements DataCipherPort {
  readonly activeKeyId: string;
  private readonly ring: ReadonlyMap<string, Buffer>;
  private readonly unwrapped = new Map<string, { key: Buffer; at: number }>();
  /** The keys `withKeysOf` looked up, by subject, for the work it runs. */
  private readonly preloaded = new AsyncLocalStorage<Map<string, { id: string; key: Buffer }>>();

  constructor(
    config: AppConfig,
    @Inject(DETENTION_KEYS) private readonly detentionKeys: DetentionKeysPort,
    @Inject(PSEUDONYMIZER) private readonly pseudonyms: Pick<PseudonymizerPort, 'pseudonym'>,
  ) {
    this.ring = config.dataKeys();
    this.activeKeyId = config.DATA_KEY_ID;
  }

  knows(keyId: string): boolean {
    return this.ring.has(keyId);
  }

  async sealFor(plain: Buffer, owner: SealOwner, at: SealedAt, db?: SqlExecutor): Promise<SealedValue> {
    return (await this.sealAllFor([{ plain, at }], owner, db))[0];
  }

  sealJsonFor(value: unknown, owner: SealOwner, at: SealedAt, db?: SqlExecutor): Promise<SealedValue> {
    return this.sealFor(Buffer.from(JSON.stringify(value), 'utf8'), owner, at, db);
  }

  async sealAllFor(
    values: readonly { plain: Buffer; at: SealedAt }[],
    owner: SealOwner,
    db?: SqlExecutor,
  ): Promise<SealedValue[]> {
    if (values.length === 0) return [];
    const { id, key } = await this.keyOf(owner, db);
    return this.sealWith(id, key, values);
  }

  async sealEachFor(
    groups: readonly { owner: SealOwner; values: readonly { plain: Buffer; at: SealedAt }[] }[],
    db?: SqlExecutor,
  ): Promise<SealedValue[][]> {
    const subjects = groups.map(({ owner }) => this.subjectOf(owner));
    const found = await this.detentionKeys.findAll(subjects, db);
    const out: SealedValue[][] = [];
    for (const [i, { owner, values }] of groups.entries()) {
      const stored = found.get(subjects[i]);
      if (!stored) {
        out.push(await this.sealAllFor(values, owner, db));
        continue;
      }
      const key = this.cachedOrUnwrapped(stored);
      out.push(this.sealWith(stored.id, key, values));
    }
    return out;
  }

  async withKeysOf<T>(owners: readonly SealOwner[], db: SqlExecutor, work: () => Promise<T>): Promise<T> {
    const subjects = [...new Set(owners.map((o) => this.subjectOf(o)))];
    const fresh = new Map<string, { id: string; key: Buffer }>();
    const candidates = subjects.map((subject) => {
      const id = randomUUID();
      const key = randomBytes(KEY_BYTES);
      fresh.set(subject, { id, key });
      return {
        subject,
        candidate: { id, masterKeyId: this.activeKeyId, wrapped: this.wrap(id, key).sealed },
      };
    });
    const stored = await this.detentionKeys.findOrAddAll(candidates, db);
    const keys = new Map(this.preloaded.getStore() ?? []);
    for (const [subject, key] of stored) {
      const own = fresh.get(subject);
      const plain = own && own.id === key.id ? own.key : this.cachedOrUnwrapped(key);
      this.remember(key.id, plain);
      keys.set(subject, { id: key.id, key: plain });
    }
    // A subject missing from the answer (a race) is looked up when sealed for, as without this.
    return this.preloaded.run(keys, work);
  }

  private subjectOf(owner: SealOwner): string {
    return 'detentionId' in owner ? this.pseudonyms.pseudonym(owner.detentionId) : owner.subjectPseudonym;
  }

  private cachedOrUnwrapped(stored: StoredDetentionKey): Buffer {
    const cached = this.unwrapped.get(stored.id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.key;
    const key = this.unwrap(stored.id, stored.masterKeyId, stored.wrapped);
    this.remember(stored.id, key);
    return key;
  }

  private sealWith(
    id: string,
    key: Buffer,
    values: readonly { plain: Buffer; at: SealedAt }[],
  ): SealedValue[] {
    const header = Buffer.concat([Buffer.from([DETENTION]), uuidBytes(id)]);
    return values.map(({ plain, at }) => ({
      sealed: encrypt(key, header, plain, bound(at)),
      keyId: `${DETENTION_KEY_PREFIX}${id}`,
    }));
  }

  /** The owner's data key: found, or a fresh one stored wrapped (one statement either way). */
  private async keyOf(owner: SealOwner, db?: SqlExecutor): Promise<{ id: string; key: Buffer }> {
    const subject = this.subjectOf(owner);
    const preloaded = this.preloaded.getStore()?.get(subject);
    if (preloaded) return preloaded;
    const id = randomUUID();
    const fresh = randomBytes(KEY_BYTES);
    const stored = await this.detentionKeys.findOrAdd(
      subject,
      { id, masterKeyId: this.activeKeyId, wrapped: this.wrap(id, fresh).sealed },
      db,
    );
    const key = stored.id === id ? fresh : this.unwrap(stored.id, stored.masterKeyId, stored.wrapped);
    this.remember(stored.id, key);
    return { id: stored.id, key };
  }

  sealByRing(plain: Buffer, at: SealedAt): SealedValue {
    const keyId = Buffer.from(this.activeKeyId, 'utf8');
    const header = Buffer.concat([Buffer.from([RING_ROW, keyId.length]), keyId]);
    return {
      sealed: encrypt(this.ringKey(this.activeKeyId), header, plain, bound(at)),
      keyId: this.activeKeyId,
    };
  }

  async open(sealed: Buffer, at: SealedAt): Promise<Buffer> {
    const version = sealed[0];
    if (version === DETENTION && sealed.length >= 17 + IV_BYTES + TAG_BYTES) {
      const id = uuidOf(sealed.subarray(1, 17));
      const key = await this.detentionKey(id, at.context);
      return decrypt(
        key,
        sealed,
        17,
        bound(at),
        `a value sealed with detention key ${id} does not open as ${at.context}`,
      );
    }
    const keyId = ringKeyIdOf(sealed);
    const aad = version === RING_COLUMN ? Buffer.from(at.context, 'utf8') : bound(at);
    return decrypt(
      this.ringKey(keyId),
      sealed,
      2 + sealed[1],
      aad,
      `a value sealed with key ${keyId} does not open as ${at.context}`,
    );
  }

  async openJson<T = Record<string, unknown>>(sealed: Buffer, at: SealedAt): Promise<T> {
    return JSON.parse((await this.open(sealed, at)).toString('utf8')) as T;
  }

  forget(detentionKeyIds: readonly string[]): void {
    for (const id of detentionKeyIds) this.unwrapped.delete(id);
  }

  /** Re-wraps a stored detention key under the active ring key (rotation re-wraps, it does not re-seal data). */
  rewrap(stored: { id: string; masterKeyId: string; wrapped: Buffer }): Buffer {
    return this.wrap(stored.id, this.unwrap(stored.id, stored.masterKeyId, stored.wrapped)).sealed;
  }

  private wrap(id: string, key: Buffer): SealedValue {
    return this.sealByRing(key, { context: 'detention_key.wrapped', row: id });
  }

  private unwrap(id: string, masterKeyId: string, wrapped: Buffer): Buffer {
    if (ringKeyIdOf(wrapped) !== masterKeyId) throw new Error(`detention key ${id} names another ring key`);
    return decrypt(
      this.ringKey(masterKeyId),
      wrapped,
      2 + wrapped[1],
      bound({ context: 'detention_key.wrapped', row: id }),
      `detention key ${id} does not unwrap with ring key ${masterKeyId}`,
    );
  }

  private async detentionKey(id: string, context: SealContext): Promise<Buffer> {
    const cached = this.unwrapped.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.key;
    const stored = await this.detentionKeys.byId(id);
    // Destroyed by erasure (or never committed): the value is shredded, on purpose unreadable.
    if (!stored)
      throw new Error(`a value sealed as ${context} names detention key ${id}, which no longer exists`);
    return this.cachedOrUnwrapped(stored);
  }

  private remember(id: string, key: Buffer): void {
    this.unwrapped.delete(id);
    if (this.unwrapped.size >= CACHE_ENTRIES)
      this.unwrapped.delete(this.unwrapped.keys().next().value as string);
    this.unwrapped.set(id, { key, at: Date.now() });
  }

  private ringKey(keyId: string): Buffer {
    const key = this.ring.get(keyId);
    if (!key) throw new Error(`data key ${keyId} is not in DATA_KEYS`);
    return key;
  }
}

/** The ring key id a v1 or v3 value (or a wrapped detention key) names. */
export function ringKeyIdOf(sealed: Buffer): string {
  if (
    sealed.length < 2 + IV_BYTES + TAG_BYTES ||
    (sealed[0] !== RING_COLUMN && sealed[0] !== RING_ROW) ||
    sealed.length < 2 + sealed[1] + IV_BYTES + TAG_BYTES
  ) {
    throw new Error('not a value sealed by the key ring');
  }
  return sealed.subarray(2, 2 + sealed[1]).toString('utf8');
}

/** Column and row as associated data (NUL cannot occur in either). */
function bound(at: SealedAt): Buffer {
  return Buffer.from(`${at.context}\u0000${at.row}`, 'utf8');
}

/**
 * Nonces come from a pool of random bytes refilled 4 KiB at a time: one call to the system's random
 * source per 341 values instead of one per value (a twentieth of the hub's time in a burst). Each
 * nonce is used once; a used-up pool is replaced, never written again.
 */
const NONCE_POOL_BYTES = 4096 - (4096 % IV_BYTES);
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

function nonce(): Buffer {
  if (nonceOffset + IV_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    nonceOffset = 0;
  }
  const iv = noncePool.subarray(nonceOffset, nonceOffset + IV_BYTES);
  nonceOffset += IV_BYTES;
  return iv;
}

function encrypt(key: Buffer, header: Buffer, plain: Buffer, aad: Buffer): Buffer {
  const iv = nonce();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer, offset: number, aad: Buffer, refusal: string): Buffer {
  const iv = sealed.subarray(offset, offset + IV_BYTES);
  const tag = sealed.subarray(offset + IV_BYTES, offset + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(offset + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new Error(refusal);
  }
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
