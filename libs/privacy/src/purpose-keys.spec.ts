import { KEY_PURPOSES, KeyPurpose, purposeKey } from './purpose-keys';

describe('purpose keys (HKDF-SHA256 per purpose, ADR 0023)', () => {
  const secret = 'a-pseudonym-secret-of-the-test';
  const purposes = Object.keys(KEY_PURPOSES) as KeyPurpose[];

  it('gives each purpose a 32-byte key of its own, none of them the secret', () => {
    const keys = purposes.map((p) => purposeKey(secret, p).toString('hex'));
    expect(new Set(keys).size).toBe(purposes.length);
    for (const p of purposes) expect(purposeKey(secret, p)).toHaveLength(32);
    expect(keys).not.toContain(Buffer.from(secret).toString('hex'));
  });

  it('is stable per secret and purpose, and another secret gives other keys', () => {
    for (const p of purposes) {
      expect(purposeKey(secret, p).equals(purposeKey(secret, p))).toBe(true);
      expect(purposeKey(secret, p).equals(purposeKey('another-pseudonym-secret', p))).toBe(false);
    }
    // Pinned: a changed label or derivation changes every stored pseudonym, so it must be deliberate.
    expect(purposeKey(secret, 'pseudonym').toString('hex')).toBe(PINNED_PSEUDONYM_KEY);
  });

  it('labels every purpose with a version, and keeps the person index label of before', () => {
    for (const label of Object.values(KEY_PURPOSES)) expect(label).toMatch(/^nazorg-hub\/[a-z/-]+\/v\d+$/);
    expect(KEY_PURPOSES.personIndex).toBe('nazorg-hub/access-request/person-index/v1');
  });
});

// Checked against `openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt key:<secret> -kdfopt salt: -kdfopt info:<label> HKDF`.
const PINNED_PSEUDONYM_KEY = '603ed77fcbec16eae5741479a0ab448076d6c7fed1cf7b15d5428ad9d998487c';
