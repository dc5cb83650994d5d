import { MockPerson, MockResidence } from './mock-person';

/*
 * The Haal Centraal BRP Personen API v2 shape of a mocked person (the fields the hub may ask for),
 * and its field selection: `fields` names top-level fields or dotted paths into them, and only those
 * come back.
 */

type Json = Record<string, unknown>;

const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];
const GESLACHT = {
  M: { code: 'M', omschrijving: 'man' },
  V: { code: 'V', omschrijving: 'vrouw' },
  X: { code: 'O', omschrijving: 'onbekend' },
} as const;
const DOCUMENT = {
  NI: 'Nederlandse identiteitskaart',
  PN: 'Nationaal paspoort',
} as const;

/** Top-level fields this mock serves. `reisdocumenten` is a mock extension (see README.md). */
export const PERSOON_FIELDS = [
  'burgerservicenummer',
  'naam',
  'geslacht',
  'geboorte',
  'leeftijd',
  'verblijfplaats',
  'adressering',
  'gemeenteVanInschrijving',
  'datumInschrijvingInGemeente',
  'reisdocumenten',
] as const;

/** A `Datum` value as the API writes dates: ISO plus the long Dutch form. */
export function datum(iso: string): Json {
  const [year, month, day] = iso.split('-').map(Number);
  return { type: 'Datum', datum: iso, langFormaat: `${day} ${MONTHS[month - 1]} ${year}` };
}

/** The full persoon; `select` then keeps only what was asked for. */
export function toPersoon(person: MockPerson, today: Date = new Date()): Json {
  const voorvoegsel = person.prefix ? `${person.prefix} ` : '';
  const initialen = person.givenNames
    .split(' ')
    .map((n) => `${n[0]}.`)
    .join('');
  return {
    burgerservicenummer: person.bsn,
    naam: {
      voornamen: person.givenNames,
      ...(person.prefix ? { voorvoegsel: person.prefix } : {}),
      geslachtsnaam: person.familyName,
      voorletters: initialen,
      volledigeNaam: `${person.givenNames} ${voorvoegsel}${person.familyName}`,
    },
    geslacht: GESLACHT[person.gender],
    geboorte: { datum: datum(person.birthDate), plaats: { omschrijving: person.birthPlace } },
    leeftijd: age(person.birthDate, today),
    verblijfplaats: verblijfplaats(person.residence),
    ...(person.residence.kind === 'unknown'
      ? {}
      : {
          adressering: {
            aanschrijfwijze: { naam: `${initialen} ${voorvoegsel}${person.familyName}` },
            adresregel1: `${person.residence.address.street} ${person.residence.address.houseNumber}`,
            adresregel2: `${formatPostcode(person.residence.address.postalCode)}  ${person.residence.address.city.toUpperCase()}`,
          },
        }),
    gemeenteVanInschrijving: { code: person.municipality.code, omschrijving: person.municipality.name },
    datumInschrijvingInGemeente: datum(person.registeredSince),
    // Mock extension, shaped after Haal Centraal's separate Reisdocumenten API.
    reisdocumenten: person.travelDocument
      ? [
          {
            soortReisdocument: {
              code: person.travelDocument.kind,
              omschrijving: DOCUMENT[person.travelDocument.kind],
            },
            reisdocumentnummer: person.travelDocument.number,
            datumEindeGeldigheid: datum(person.travelDocument.validUntil),
            indicatieGeldig: person.travelDocument.validUntil >= today.toISOString().slice(0, 10),
          },
        ]
      : [],
  };
}

function verblijfplaats(residence: MockResidence): Json {
  if (residence.kind === 'unknown')
    return { type: 'VerblijfplaatsOnbekend', datumVan: datum(residence.since) };
  const { street, houseNumber, postalCode, city } = residence.address;
  return {
    type: 'Adres',
    verblijfadres: {
      officieleStraatnaam: street,
      korteStraatnaam: street,
      huisnummer: houseNumber,
      postcode: postalCode,
      woonplaats: city,
    },
    functieAdres:
      residence.kind === 'postal-address'
        ? { code: 'B', omschrijving: 'briefadres' }
        : { code: 'W', omschrijving: 'woonadres' },
    datumVan: datum(residence.since),
  };
}

/**
 * Only the asked fields. A dotted path keeps the `type` of every object it passes through, as the
 * real API does, so a client can still tell an Adres from a VerblijfplaatsOnbekend.
 */
export function select(persoon: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const field of fields) merge(out, pick(persoon, field.split('.')));
  return out;
}

function pick(source: Json, path: string[]): Json {
  const [head, ...rest] = path;
  const value = source[head];
  if (value === undefined) return {};
  // A copy: merging a later, overlapping path must not write into the source.
  if (rest.length === 0) return { [head]: structuredClone(value) };
  // A path into a list (e.g. `reisdocumenten.datumEindeGeldigheid`) applies to each of its items.
  if (Array.isArray(value)) {
    return {
      [head]: value.map((item) => (isObject(item) ? (pick({ item }, ['item', ...rest]).item ?? {}) : {})),
    };
  }
  if (!isObject(value)) return { [head]: structuredClone(value) };
  const nested = pick(value, rest);
  if (Object.keys(nested).length === 0) return {};
  return { [head]: typeof value.type === 'string' ? { type: value.type, ...nested } : nested };
}

function merge(target: Json, addition: Json): void {
  for (const [key, value] of Object.entries(addition)) {
    const current = target[key];
    if (isObject(current) && isObject(value)) merge(current, value);
    else target[key] = value;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function age(birthDate: string, today: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number);
  const had =
    today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (had ? 0 : 1);
}

function formatPostcode(postalCode: string): string {
  return `${postalCode.slice(0, 4)} ${postalCode.slice(4)}`;
}
