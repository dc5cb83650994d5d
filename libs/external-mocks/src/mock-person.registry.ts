import { Injectable } from '@nestjs/common';
import { behaviourOf, draw, weighted } from './mock-behaviour';
import { BenefitKind, MockBenefit, MockPerson, MockResidence, RNI } from './mock-person';
import { SEED_PERSONS } from './seed-persons';

/**
 * Municipalities a generated person is registered in, with the four digits their postal codes start
 * with. Mostly the demo tenants' (CONTRACT section 5) so simulated traffic finds its way around.
 */
const MUNICIPALITIES: readonly (readonly [[code: string, city: string, from: number, to: number], number])[] =
  [
    [['0307', 'Amersfoort', 3811, 3829], 26],
    [['0327', 'Leusden', 3830, 3833], 5],
    [['0351', 'Woudenberg', 3930, 3931], 3],
    [['1783', 'Naaldwijk', 2671, 2671], 16],
    [['0392', 'Haarlem', 2011, 2037], 25],
    [['0361', 'Alkmaar', 1811, 1825], 8],
    [['0344', 'Utrecht', 3511, 3585], 9],
    [['0363', 'Amsterdam', 1011, 1109], 8],
  ];
const MALE = ['Jan', 'Pieter', 'Kevin', 'Dennis', 'Mark', 'Ricardo', 'Sander', 'Mohamed', 'Youssef', 'Daan'];
const FEMALE = ['Anna', 'Sanne', 'Fatima', 'Lisa', 'Kim', 'Naima', 'Demi', 'Esther'];
const FAMILY: readonly (readonly [prefix: string | undefined, name: string])[] = [
  [undefined, 'Jansen'],
  ['de', 'Jong'],
  ['de', 'Vries'],
  ['van den', 'Berg'],
  ['van', 'Dijk'],
  [undefined, 'Bakker'],
  [undefined, 'Visser'],
  [undefined, 'Smit'],
  ['El', 'Idrissi'],
  [undefined, 'Yilmaz'],
  [undefined, 'Martina'],
  [undefined, 'Kaya'],
];
const STREETS = [
  'Kerkstraat',
  'Stationsweg',
  'Dorpsstraat',
  'Molenweg',
  'Schoolstraat',
  'Julianalaan',
  'Lindelaan',
];
const LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';
/** Ages at the reference date; DOMAIN.md: 18 to 75, mean 34. */
const AGE_BANDS: readonly (readonly [[from: number, to: number], number])[] = [
  [[18, 24], 20],
  [[25, 34], 35],
  [[35, 44], 25],
  [[45, 54], 13],
  [[55, 75], 7],
];
/** A fixed reference date keeps generated birth dates the same from one day to the next. */
const REFERENCE_YEAR = 2026;

/**
 * The people the mocked BRP and Suwinet know: the hand-written seed, and for any other valid BSN a
 * plausible person generated from its digits (the same one every time). UNKNOWN_BSNS and BSNs that
 * fail the eleven-test belong to no one.
 */
@Injectable()
export class MockPersonRegistry {
  private readonly seed = new Map(SEED_PERSONS.map((p) => [p.bsn, p]));

  find(bsn: string): MockPerson | undefined {
    if (behaviourOf(bsn) === 'unknown') return undefined;
    return this.seed.get(bsn) ?? generate(bsn);
  }

  seeded(): readonly MockPerson[] {
    return SEED_PERSONS;
  }
}

function generate(bsn: string): MockPerson {
  const gender = weighted(bsn, 'gender', [
    ['M', 92],
    ['V', 8],
  ] as const);
  const [prefix, familyName] = FAMILY[draw(bsn, 'family', FAMILY.length)];
  const [from, to] = weighted(bsn, 'age', AGE_BANDS);
  const birthDate = isoDate(
    REFERENCE_YEAR - from - draw(bsn, 'age-in-band', to - from + 1) - 1,
    draw(bsn, 'day', 365),
  );
  const [code, city, postalFrom, postalTo] = weighted(bsn, 'municipality', MUNICIPALITIES);
  const registeredSince = isoDate(2000 + draw(bsn, 'registered', 25), draw(bsn, 'registered-day', 365));
  const address = {
    street: STREETS[draw(bsn, 'street', STREETS.length)],
    houseNumber: 1 + draw(bsn, 'house', 180),
    postalCode: `${postalFrom + draw(bsn, 'postal', postalTo - postalFrom + 1)}${letter(bsn, 1)}${letter(bsn, 2)}`,
    city,
  };
  // DOMAIN.md: 91.1% were registered in their municipality before detention.
  const residence = weighted<MockResidence>(bsn, 'residence', [
    [{ kind: 'address', address, since: registeredSince }, 88],
    [{ kind: 'postal-address', address, since: isoDate(2025, draw(bsn, 'postal-since', 300)) }, 3],
    [{ kind: 'unknown', since: isoDate(2025, draw(bsn, 'deregistered', 300)) }, 9],
  ]);
  return {
    bsn,
    givenNames:
      gender === 'M' ? MALE[draw(bsn, 'given', MALE.length)] : FEMALE[draw(bsn, 'given', FEMALE.length)],
    prefix,
    familyName,
    birthDate,
    birthPlace: city,
    gender,
    municipality: residence.kind === 'unknown' ? RNI : { code, name: code === '1783' ? 'Westland' : city },
    registeredSince: residence.kind === 'unknown' ? residence.since : registeredSince,
    residence,
    travelDocument: travelDocument(bsn),
    benefits: benefits(bsn),
  };
}

/** DOMAIN.md: 12.3% had no ID before detention; some others hold one that has expired. */
function travelDocument(bsn: string): MockPerson['travelDocument'] {
  const kind = weighted(bsn, 'document', [
    ['NI', 62],
    ['PN', 18],
    ['expired', 8],
    ['none', 12],
  ] as const);
  if (kind === 'none') return undefined;
  const number = `${kind === 'PN' ? 'N' : 'I'}${draw(bsn, 'document-number', 1e8).toString(36).toUpperCase().padStart(8, 'X')}`;
  const validUntil =
    kind === 'expired'
      ? isoDate(2020 + draw(bsn, 'document-expired', 5), draw(bsn, 'document-day', 365))
      : isoDate(2027 + draw(bsn, 'document-valid', 8), draw(bsn, 'document-day', 365));
  return { kind: kind === 'PN' ? 'PN' : 'NI', number, validUntil };
}

/** About half had a benefit when detained, mostly Participatiewet (DOMAIN.md, Benefits). */
function benefits(bsn: string): MockBenefit[] {
  const soort = weighted<BenefitKind | undefined>(bsn, 'benefit', [
    [undefined, 50],
    ['participatiewet', 30],
    ['ww', 8],
    ['wajong', 6],
    ['wia', 4],
    ['ioaw', 2],
  ]);
  if (!soort) return [];
  return [
    {
      soort,
      ingangsdatum: isoDate(2018 + draw(bsn, 'benefit-start', 8), draw(bsn, 'benefit-day', 365)),
      status: draw(bsn, 'benefit-status', 4) === 0 ? 'opgeschort' : 'lopend',
    },
  ];
}

function letter(bsn: string, position: number): string {
  return LETTERS[draw(bsn, `postal-letter-${position}`, LETTERS.length)];
}

/** The ISO date of day `dayOfYear` (0-based, up to 364) of `year`. */
function isoDate(year: number, dayOfYear: number): string {
  return new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
}
