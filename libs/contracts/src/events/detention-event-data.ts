/**
 * The `data` of each feed event type (CONTRACT section 2), as plain types. The validating
 * classes in ../validation mirror these one to one.
 */
export type Gender = 'M' | 'V' | 'X';
export type LegalStatus = 'preventief' | 'veroordeeld' | 'isd' | 'tbs';
export type DocumentType =
  'id-card' | 'passport' | 'driving-licence' | 'residence-permit' | 'none' | 'unknown';
export type HousingSituation = 'own-home' | 'rental' | 'with-family' | 'homeless' | 'institution' | 'unknown';
export type IncomeSituation = 'employed' | 'benefit' | 'none' | 'unknown';
export type DebtEstimate = '<1000' | '1000-10000' | '>10000' | 'unknown';
export type CareArea = 'ggz' | 'addiction' | 'lvb' | 'somatic' | 'other';
export type ReleaseType = 'end-of-sentence' | 'conditional-release' | 'suspension' | 'other';

export interface Institution {
  code: string;
  name: string;
}

export interface DetentionStartedData {
  detentionId: string;
  person: {
    bsn: string;
    givenNames: string;
    familyNamePrefix?: string | null;
    familyName: string;
    birthDate: string;
    gender: Gender;
  };
  institution: Institution;
  startedAt: string;
  legalStatus: LegalStatus;
  expectedReleaseDate?: string | null;
  municipalityOfOrigin: string;
  caseManager: { name: string; phone?: string | null; email?: string | null };
  supervision?: { organisation: string } | null;
  flags: { topX: boolean; pga: boolean; bij: boolean };
}

export interface ScreeningCompletedData {
  detentionId: string;
  screenedAt: string;
  identity: { hasValidId: boolean; documentType: DocumentType };
  housing: { situation: HousingSituation; atRiskOfLoss: boolean };
  incomeWork: { situation: IncomeSituation; benefitType?: string | null };
  debts: { hasDebts: boolean; cjibDebt: boolean; estimatedTotal: DebtEstimate; wantsHelp: boolean };
  care: { needsCare: boolean; areas: CareArea[]; currentProviders: string[] };
  socialNetwork?: { supportive: boolean } | null;
  consent: { schuldhulp: boolean; zorg: boolean };
}

export interface ReleaseScheduledData {
  detentionId: string;
  expectedReleaseDate: string;
  previousExpectedReleaseDate?: string | null;
}

export interface DetentionTransferredData {
  detentionId: string;
  transferredAt: string;
  from: Institution;
  to: Institution;
}

export interface DetentionReleasedData {
  detentionId: string;
  releasedAt: string;
  releaseType: ReleaseType;
  destinationMunicipality?: string | null;
  addressAfterRelease?: { street: string; houseNumber: string; postalCode: string; city: string } | null;
  supervisionContinues: boolean;
}

export interface NotificationWithdrawnData {
  detentionId: string;
  reason: string;
}

export type DetentionEventData =
  | DetentionStartedData
  | ScreeningCompletedData
  | ReleaseScheduledData
  | DetentionTransferredData
  | DetentionReleasedData
  | NotificationWithdrawnData;
