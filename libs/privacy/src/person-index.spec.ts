import { PersonIndex } from './person-index';

describe('PersonIndex (ADR 0025, derived as in ADR 0023)', () => {
  const secret = 'a-person-index-secret-of-the-test';

  it('keeps the index values stored before the purpose keys (same label, same derivation)', () => {
    // Computed with the code of before: HKDF-SHA256(secret, no salt, the label), HMAC of `bsn\0<bsn>`.
    expect(new PersonIndex(secret).of('123456782')).toBe('gvKT_NjLNZFklaNsJRFqabwtctWfkvpyP2lAUhwPVts');
  });

  it('indexes under the current secret, and finds under each previous one too', () => {
    const rotated = new PersonIndex('the-current-pseudonym-secret', [secret]);
    expect(rotated.of('123456782')).toBe(new PersonIndex('the-current-pseudonym-secret').of('123456782'));
    expect(rotated.candidates('123456782')).toEqual([
      rotated.of('123456782'),
      new PersonIndex(secret).of('123456782'),
    ]);
  });
});
