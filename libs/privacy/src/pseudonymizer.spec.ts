import { createHmac } from 'node:crypto';
import { loadAppConfig } from '@nazorg/config';
import { Pseudonymizer, pseudonymizerFrom } from './pseudonymizer';

describe('Pseudonymizer (keys per purpose, ADR 0023)', () => {
  const current = 'the-current-pseudonym-secret';
  const earlier = ['an-earlier-pseudonym-secret', 'the-first-pseudonym-secret'];

  it('gives stable pseudonyms under a key derived from the secret, not the secret itself', () => {
    const p = new Pseudonymizer(current);
    expect(p.pseudonym('DJI-1')).toMatch(/^p-[0-9a-f]{32}$/);
    expect(p.pseudonym('DJI-1')).toBe(new Pseudonymizer(current).pseudonym('DJI-1'));
    expect(p.pseudonym('DJI-1')).not.toBe(p.pseudonym('DJI-2'));
    const underRawSecret = 'p-' + createHmac('sha256', current).update('DJI-1').digest('hex').slice(0, 32);
    expect(p.pseudonym('DJI-1')).not.toBe(underRawSecret);
  });

  it('keys uuids apart from pseudonyms, stable per parts', () => {
    const p = new Pseudonymizer(current);
    const id = p.uuid('delivery', 'zorg-smal', 'injus', 'e-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).toBe(new Pseudonymizer(current).uuid('delivery', 'zorg-smal', 'injus', 'e-1'));
    expect(id).not.toBe(new Pseudonymizer(earlier[0]).uuid('delivery', 'zorg-smal', 'injus', 'e-1'));
    // Under the pseudonym key, the same text would give these hex digits (before the version bits).
    const underPseudonymKey = p
      .pseudonym('uuid\u0000delivery\u0000zorg-smal\u0000injus\u0000e-1')
      .slice(2, 14);
    expect(id.replace(/-/g, '').slice(0, 12)).not.toBe(underPseudonymKey);
  });

  it('writes under the current key only; candidates add each previous key’s pseudonym', () => {
    const rotated = new Pseudonymizer(current, earlier);
    expect(rotated.pseudonym('DJI-1')).toBe(new Pseudonymizer(current).pseudonym('DJI-1'));
    expect(rotated.uuid('a', 'b')).toBe(new Pseudonymizer(current).uuid('a', 'b'));
    expect(rotated.uuidCandidates('a', 'b')).toEqual([
      new Pseudonymizer(current).uuid('a', 'b'),
      new Pseudonymizer(earlier[0]).uuid('a', 'b'),
      new Pseudonymizer(earlier[1]).uuid('a', 'b'),
    ]);
    expect(rotated.candidates('DJI-1')).toEqual([
      new Pseudonymizer(current).pseudonym('DJI-1'),
      new Pseudonymizer(earlier[0]).pseudonym('DJI-1'),
      new Pseudonymizer(earlier[1]).pseudonym('DJI-1'),
    ]);
    // No previous key: just the current pseudonym; a secret listed twice counts once.
    expect(new Pseudonymizer(current).candidates('DJI-1')).toEqual([rotated.pseudonym('DJI-1')]);
    expect(new Pseudonymizer(current, [current, earlier[0], earlier[0]]).candidates('DJI-1')).toHaveLength(2);
  });

  it('is made from the configuration, PSEUDONYM_PREVIOUS_KEYS included', () => {
    const config = loadAppConfig({ PSEUDONYM_KEY: current, PSEUDONYM_PREVIOUS_KEYS: earlier.join(',') });
    expect(pseudonymizerFrom(config).candidates('DJI-1')).toEqual(
      new Pseudonymizer(current, earlier).candidates('DJI-1'),
    );
  });
});
