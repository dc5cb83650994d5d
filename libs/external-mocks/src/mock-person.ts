/**
 * A test person as the mocked systems know them: one record per BSN that both the BRP mock and the
 * Suwinet mock answer from, so their answers about a person agree. None of it is about real people.
 */
export interface MockAddress {
  street: string;
  houseNumber: number;
  postalCode: string;
  city: string;
}

export type MockResidence =
  | { kind: 'address'; address: MockAddress; since: string }
  /** A postal address (briefadres), common for people without a home or in detention. */
  | { kind: 'postal-address'; address: MockAddress; since: string }
  /** Deregistered, whereabouts unknown ("vertrokken onbekend waarheen"): now in the RNI. */
  | { kind: 'unknown'; since: string };

export type BenefitKind = 'participatiewet' | 'ww' | 'wajong' | 'wia' | 'ioaw';

export interface MockBenefit {
  soort: BenefitKind;
  ingangsdatum: string;
  /** `opgeschort`: suspended, as a benefit is for a short detention (DOMAIN.md, Benefits). */
  status: 'lopend' | 'opgeschort';
}

export interface MockPerson {
  bsn: string;
  givenNames: string;
  prefix?: string;
  familyName: string;
  birthDate: string;
  birthPlace: string;
  gender: 'M' | 'V' | 'X';
  /** gemeenteVanInschrijving; code 1999 is the RNI (registration of non-residents). */
  municipality: { code: string; name: string };
  registeredSince: string;
  residence: MockResidence;
  /** Mock extension: the real BRP API has no travel documents. Absent: no document ever issued. */
  travelDocument?: { kind: 'NI' | 'PN'; number: string; validUntil: string };
  benefits: MockBenefit[];
}

export const RNI = { code: '1999', name: 'Registratie Niet Ingezetenen (RNI)' } as const;
