import { loadAppConfig } from '@nazorg/config';
import { AesGcmDataCipher } from './aes-gcm.data-cipher';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const cipherWith = (keys: string, active: string) =>
  new AesGcmDataCipher(loadAppConfig({ DATA_KEYS: keys, DATA_KEY_ID: active }));

describe('AesGcmDataCipher', () => {
  const person = { bsn: '999990019', name: 'Jansen' };

  it('seals so that the plain text is not in the stored bytes, and opens again', () => {
    const cipher = cipherWith(`k1:${key(1)}`, 'k1');
    const sealed = cipher.sealJson(person, 'inbound_event.event');
    expect(sealed.toString('latin1')).not.toContain('999990019');
    expect(sealed.toString('latin1')).not.toContain('Jansen');
    expect(cipher.keyIdOf(sealed)).toBe('k1');
    expect(cipher.openJson(sealed, 'inbound_event.event')).toEqual(person);
  });

  it('uses a fresh nonce for every value', () => {
    const cipher = cipherWith(`k1:${key(1)}`, 'k1');
    expect(cipher.sealJson(person, 'delivery.message')).not.toEqual(
      cipher.sealJson(person, 'delivery.message'),
    );
  });

  it('refuses a value moved to another column, or tampered with', () => {
    const cipher = cipherWith(`k1:${key(1)}`, 'k1');
    const sealed = cipher.sealJson(person, 'delivery.message');
    expect(() => cipher.open(sealed, 'connector_result.event')).toThrow(/does not open/);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => cipher.open(tampered, 'delivery.message')).toThrow(/does not open/);
  });

  it('opens what an older key sealed after rotation, and seals with the new one', () => {
    const before = cipherWith(`k1:${key(1)}`, 'k1');
    const old = before.sealJson(person, 'dead_letter.payload');
    const after = cipherWith(`k1:${key(1)},k2:${key(2)}`, 'k2');
    expect(after.openJson(old, 'dead_letter.payload')).toEqual(person);
    expect(after.keyIdOf(after.sealJson(person, 'dead_letter.payload'))).toBe('k2');
    const withoutOld = cipherWith(`k2:${key(2)}`, 'k2');
    expect(() => withoutOld.open(old, 'dead_letter.payload')).toThrow(/k1 is not in DATA_KEYS/);
  });

  it('says so when bytes are not a sealed value', () => {
    expect(() => cipherWith(`k1:${key(1)}`, 'k1').keyIdOf(Buffer.from('{"bsn":1}'))).toThrow(
      /not a sealed value/,
    );
  });
});
