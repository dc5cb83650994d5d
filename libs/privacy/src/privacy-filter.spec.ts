import fc from 'fast-check';
import { ALL_RECIPIENT_KINDS, RecipientKind } from '@nazorg/contracts';
import { DEFAULT_PRIVACY_PROFILES } from './default-privacy-profiles';
import { filterByProfile } from './privacy-filter';

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

// Arbitrary nested data: known paths mixed with unknown ones (fields the feed might add later).
const key = fc.constantFrom(
  'person',
  'bsn',
  'debts',
  'care',
  'consent',
  'schuldhulp',
  'zorg',
  'hasDebts',
  'x',
  'detentionId',
);
const data: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  node: fc.dictionary(
    key,
    fc.oneof({ depthSize: 'small' }, fc.string(), fc.boolean(), fc.array(fc.string()), tie('node')),
    {
      maxKeys: 5,
    },
  ),
})).node as fc.Arbitrary<Record<string, unknown>>;

describe('filterByProfile (property-based)', () => {
  it('only ever discloses allowed paths, and reports exactly what it disclosed', () => {
    fc.assert(
      fc.property(data, fc.constantFrom(...ALL_RECIPIENT_KINDS), (input, kind: RecipientKind) => {
        const rules = DEFAULT_PRIVACY_PROFILES[kind];
        const allowed = new Set(rules.map((r) => r.path));
        const out = filterByProfile(input, rules);
        const disclosed = leafPaths(out.data).filter((p) => p !== '');
        for (const p of disclosed) expect(allowed.has(p)).toBe(true);
        expect([...disclosed].sort()).toEqual(out.disclosedPaths);
      }),
    );
  });

  it('never discloses a consent-gated path without that consent', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (hasDebts, schuldhulp, zorg) => {
        const input = { debts: { hasDebts }, care: { needsCare: true }, consent: { schuldhulp, zorg } };
        const toSchuldhulp = filterByProfile(input, DEFAULT_PRIVACY_PROFILES.schuldhulp).disclosedPaths;
        const toZorg = filterByProfile(input, DEFAULT_PRIVACY_PROFILES.zorg).disclosedPaths;
        expect(toSchuldhulp.includes('debts.hasDebts')).toBe(schuldhulp);
        expect(toZorg.includes('care.needsCare')).toBe(zorg);
        expect(toSchuldhulp.some((p) => p.startsWith('consent'))).toBe(false);
      }),
    );
  });

  it('lets a new field reach no kind at all until a profile lists it', () => {
    for (const kind of ALL_RECIPIENT_KINDS) {
      const out = filterByProfile(
        { detentionId: 'D', person: { nationality: 'NL' }, newField: 1 },
        DEFAULT_PRIVACY_PROFILES[kind],
      );
      expect(out.disclosedPaths).toEqual(['detentionId']);
    }
  });
});
