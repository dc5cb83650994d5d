import { createCipheriv, randomBytes } from 'node:crypto';
import { loadAppConfig } from '@nazorg/config';
import { AesGcmDataCipher } from './aes-gcm.data-cipher';
import { SealedAt } from './data-cipher.port';
import { DetentionKeysPort, StoredDetentionKey } from './detention-keys.port';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

/** The `detention_key` table in memory: what the cipher stores and finds there. */
class InMemoryDetentionKeys implements DetentionKeysPort {
  readonly bySubject = new Map<string, StoredDetentionKey>();
  async findOrAdd(subject: string, candidate: StoredDetentionKey): Promise<StoredDetentionKey> {
    if (!this.bySubject.has(subject)) this.bySubject.set(subject, candidate);
    return this.bySubject.get(subject)!;
  }
  async findOrAddAll(
    candidates: readonly { subject: string; candidate: StoredDetentionKey }[],
  ): Promise<Map<string, StoredDetentionKey>> {
    this.lookups += 1;
    for (const { subject, candidate } of candidates) await this.findOrAdd(subject, candidate);
    return this.findAll(candidates.map((c) => c.subject));
  }
  lookups = 0;
  async findAll(subjects: readonly string[]): Promise<Map<string, StoredDetentionKey>> {
    return new Map(subjects.flatMap((s) => (this.bySubject.has(s) ? [[s, this.bySubject.get(s)!]] : [])));
  }
  async byId(id: string): Promise<StoredDetentionKey | undefined> {
    return [...this.bySubject.values()].find((k) => k.id === id);
  }
  async destroy(subjects: readonly string[]): Promise<string[]> {
    const ids = subjects.flatMap((s) => (this.bySubject.has(s) ? [this.bySubject.get(s)!.id] : []));
    for (const s of subjects) this.bySubject.delete(s);
    return ids;
  }
}

const pseudonyms = { pseudonym: (v: string) => `p-${v}` };
const cipherWith = (keys: string, active: string, store = new InMemoryDetentionKeys()) =>
  new AesGcmDataCipher(loadAppConfig({ DATA_KEYS: keys, DATA_KEY_ID: active }), store, pseudonyms);

/** A value as the cipher sealed it before ADR 0026: v1, the ring key, bound to the column only. */
function sealedBeforeDetentionKeys(keyId: string, ringKey: string, plain: string, context: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(ringKey, 'base64'), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([1, id.length]), id, iv, cipher.getAuthTag(), body]);
}

describe('AesGcmDataCipher', () => {
  const person = { bsn: '999990019', name: 'Jansen' };
  const at: SealedAt = { context: 'inbound_event.event', row: 'row-1' };
  const owner = { detentionId: 'DJI-1' };

  it('seals under the detention key so that the plain text is not in the stored bytes, and opens again', async () => {
    const store = new InMemoryDetentionKeys();
    const cipher = cipherWith(`k1:${key(1)}`, 'k1', store);
    const sealed = await cipher.sealJsonFor(person, owner, at);
    expect(sealed.sealed.toString('latin1')).not.toContain('999990019');
    expect(sealed.sealed.toString('latin1')).not.toContain('Jansen');
    // One key for the detention, found by its pseudonym, wrapped by the active ring key.
    const stored = store.bySubject.get('p-DJI-1')!;
    expect(sealed.keyId).toBe(`dk:${stored.id}`);
    expect(stored.masterKeyId).toBe('k1');
    expect(await cipher.openJson(sealed.sealed, at)).toEqual(person);
    // A fresh cipher (another hub) unwraps the stored key to open it.
    expect(await cipherWith(`k1:${key(1)}`, 'k1', store).openJson(sealed.sealed, at)).toEqual(person);
  });

  it('gives each detention its own key, and each value a fresh nonce', async () => {
    const store = new InMemoryDetentionKeys();
    const cipher = cipherWith(`k1:${key(1)}`, 'k1', store);
    const a = await cipher.sealJsonFor(person, owner, at);
    const again = await cipher.sealJsonFor(person, owner, at);
    const b = await cipher.sealJsonFor(person, { detentionId: 'DJI-2' }, at);
    expect(again.keyId).toBe(a.keyId);
    expect(again.sealed).not.toEqual(a.sealed);
    expect(b.keyId).not.toBe(a.keyId);
    expect(store.bySubject.size).toBe(2);
  });

  it('never repeats a nonce, also across refills of its pool', async () => {
    const cipher = cipherWith(`k1:${key(1)}`, 'k1');
    const plain = Buffer.from('x');
    const values = Array.from({ length: 1000 }, (_, i) => ({ plain, at: { ...at, row: `r-${i}` } }));
    const sealed = await cipher.sealAllFor(values, owner);
    // Layout v2: version, 16-byte key id, then the 12-byte nonce.
    const nonces = new Set(sealed.map((s) => s.sealed.subarray(17, 29).toString('hex')));
    expect(nonces.size).toBe(1000);
  });

  it('inside withKeysOf seals without looking a key up, with the keys it found or added', async () => {
    const store = new InMemoryDetentionKeys();
    const cipher = cipherWith(`k1:${key(1)}`, 'k1', store);
    const known = await cipher.sealJsonFor(person, owner, at);
    const findOrAdd = jest.spyOn(store, 'findOrAdd');
    const db = { query: async () => [] };
    const [forKnown, forNew] = await cipher.withKeysOf([owner, { detentionId: 'DJI-2' }], db, async () => {
      findOrAdd.mockClear();
      return [
        await cipher.sealJsonFor(person, owner, at),
        await cipher.sealJsonFor(person, { detentionId: 'DJI-2' }, at),
      ];
    });
    expect(findOrAdd).not.toHaveBeenCalled();
    expect(store.lookups).toBe(1);
    expect(forKnown.keyId).toBe(known.keyId);
    expect(forNew.keyId).toBe(`dk:${store.bySubject.get('p-DJI-2')!.id}`);
    expect(await cipherWith(`k1:${key(1)}`, 'k1', store).openJson(forNew.sealed, at)).toEqual(person);
    // Outside it, a look-up again.
    await cipher.sealJsonFor(person, owner, at);
    expect(findOrAdd).toHaveBeenCalledTimes(1);
  });

  it('seals for several detentions with one look-up of their keys, adding the missing ones', async () => {
    const store = new InMemoryDetentionKeys();
    const cipher = cipherWith(`k1:${key(1)}`, 'k1', store);
    const known = await cipher.sealJsonFor(person, owner, at);
    const findAll = jest.spyOn(store, 'findAll');
    const plain = Buffer.from(JSON.stringify(person), 'utf8');
    const [forKnown, forNew] = await cipher.sealEachFor([
      { owner, values: [{ plain, at: { context: 'disclosure_record.detention', row: 'r-1' } }] },
      {
        owner: { detentionId: 'DJI-2' },
        values: [{ plain, at: { context: 'disclosure_record.detention', row: 'r-2' } }],
      },
    ]);
    expect(findAll).toHaveBeenCalledTimes(1);
    expect(forKnown[0].keyId).toBe(known.keyId);
    expect(forNew[0].keyId).toBe(`dk:${store.bySubject.get('p-DJI-2')!.id}`);
    // Bound to their own rows, and opened by a cipher that never saw the keys.
    const other = cipherWith(`k1:${key(1)}`, 'k1', store);
    expect(
      await other.openJson(forNew[0].sealed, { context: 'disclosure_record.detention', row: 'r-2' }),
    ).toEqual(person);
    await expect(
      other.open(forKnown[0].sealed, { context: 'disclosure_record.detention', row: 'r-2' }),
    ).rejects.toThrow();
  });

  it('refuses a value moved to another column or another row, or tampered with', async () => {
    const cipher = cipherWith(`k1:${key(1)}`, 'k1');
    const { sealed } = await cipher.sealJsonFor(person, owner, { context: 'delivery.message', row: 'd-1' });
    await expect(cipher.open(sealed, { context: 'connector_result.event', row: 'd-1' })).rejects.toThrow(
      /does not open as connector_result.event/,
    );
    await expect(cipher.open(sealed, { context: 'delivery.message', row: 'd-2' })).rejects.toThrow(
      /does not open/,
    );
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    await expect(cipher.open(tampered, { context: 'delivery.message', row: 'd-1' })).rejects.toThrow(
      /does not open/,
    );
    const byRing = cipher.sealByRing(Buffer.from('payload'), { context: 'dead_letter.payload', row: 'x-1' });
    await expect(cipher.open(byRing.sealed, { context: 'dead_letter.payload', row: 'x-2' })).rejects.toThrow(
      /does not open/,
    );
    expect(
      (await cipher.open(byRing.sealed, { context: 'dead_letter.payload', row: 'x-1' })).toString(),
    ).toBe('payload');
  });

  it('shreds: once the detention key is destroyed, a kept copy of a value no longer opens', async () => {
    const store = new InMemoryDetentionKeys();
    const cipher = cipherWith(`k1:${key(1)}`, 'k1', store);
    const copy = (await cipher.sealJsonFor(person, owner, at)).sealed;
    const other = (await cipher.sealJsonFor(person, { detentionId: 'DJI-2' }, at)).sealed;
    cipher.forget(await store.destroy(['p-DJI-1']));
    await expect(cipher.open(copy, at)).rejects.toThrow(/no longer exists/);
    // Another detention's data is untouched, and a new value of the erased one gets a new key.
    expect(await cipher.openJson(other, at)).toEqual(person);
    const renewed = await cipher.sealJsonFor(person, owner, at);
    expect(await cipher.openJson(renewed.sealed, at)).toEqual(person);
    await expect(cipher.open(copy, at)).rejects.toThrow(/no longer exists/);
  });

  it('rotates the ring by re-wrapping detention keys; without the old ring key an old wrap is useless', async () => {
    const store = new InMemoryDetentionKeys();
    const before = cipherWith(`k1:${key(1)}`, 'k1', store);
    const { sealed } = await before.sealJsonFor(person, owner, at);
    const backup = { ...store.bySubject.get('p-DJI-1')! };
    const after = cipherWith(`k1:${key(1)},k2:${key(2)}`, 'k2', store);
    const stored = store.bySubject.get('p-DJI-1')!;
    store.bySubject.set('p-DJI-1', { ...stored, masterKeyId: 'k2', wrapped: after.rewrap(stored) });
    // The data was not touched, and opens under the re-wrapped key with k1 gone.
    const onlyK2 = cipherWith(`k2:${key(2)}`, 'k2', store);
    expect(await onlyK2.openJson(sealed, at)).toEqual(person);
    // A backup's wrap (under k1) cannot be unwrapped once k1 is retired.
    expect(() => onlyK2.rewrap(backup)).toThrow(/k1 is not in DATA_KEYS/);
  });

  it('still opens values sealed before detention keys (v1), and what an older ring key sealed', async () => {
    const old = sealedBeforeDetentionKeys('k1', key(1), JSON.stringify(person), 'dead_letter.payload');
    const after = cipherWith(`k1:${key(1)},k2:${key(2)}`, 'k2');
    expect(await after.openJson(old, { context: 'dead_letter.payload', row: 'any' })).toEqual(person);
    await expect(after.open(old, { context: 'delivery.message', row: 'any' })).rejects.toThrow(
      /does not open/,
    );
    expect(after.sealByRing(Buffer.from('x'), { context: 'dead_letter.payload', row: 'r' }).keyId).toBe('k2');
    await expect(
      cipherWith(`k2:${key(2)}`, 'k2').open(old, { context: 'dead_letter.payload', row: 'any' }),
    ).rejects.toThrow(/k1 is not in DATA_KEYS/);
  });

  it('says so when bytes are not a sealed value', async () => {
    await expect(cipherWith(`k1:${key(1)}`, 'k1').open(Buffer.from('{"bsn":1}'), at)).rejects.toThrow(
      /not a value sealed/,
    );
  });
});
