import { RecipientKind } from '@nazorg/contracts';

/**
 * Need-to-know per recipient kind: CONTRACT section 4, as an allowlist of leaf paths in the feed
 * event's `data`. A path not listed for a kind is removed; a field the feed adds later reaches no
 * one until it is listed here. Arrays are leaves (care.areas goes whole or not at all).
 *
 * `when` gates a path on a condition in the same event (consent recorded at screening).
 */
/**
 * Version of these defaults. Bump it whenever a path is added, removed or gated differently: every
 * disclosure record names the version that let its fields out.
 */
export const DEFAULT_PRIVACY_PROFILES_VERSION = 'contract-v1.0';

export interface ProfileRule {
  path: string;
  when?: 'consent.schuldhulp' | 'consent.zorg';
}

const DATES = [
  'startedAt',
  'expectedReleaseDate',
  'previousExpectedReleaseDate',
  'releasedAt',
  'screenedAt',
  'transferredAt',
];
const BSN = ['person.bsn'];
const PERSON = [
  'person.givenNames',
  'person.familyNamePrefix',
  'person.familyName',
  'person.birthDate',
  'person.gender',
];
const INSTITUTIONS = ['institution.code', 'institution.name', 'from.code', 'from.name', 'to.code', 'to.name'];
const INSTITUTION_CODES = ['institution.code', 'from.code', 'to.code'];
const MUNICIPALITIES = ['municipalityOfOrigin', 'destinationMunicipality'];
const JUSTICE = ['legalStatus', 'supervision.organisation', 'supervisionContinues'];
const CASE_MANAGER = ['caseManager.name', 'caseManager.phone', 'caseManager.email'];
const FLAGS = ['flags.topX', 'flags.pga', 'flags.bij'];
const IDENTITY = ['identity.hasValidId', 'identity.documentType'];
const HOUSING = ['housing.situation', 'housing.atRiskOfLoss'];
const INCOME = ['incomeWork.situation', 'incomeWork.benefitType'];
const DEBTS = ['debts.hasDebts', 'debts.cjibDebt', 'debts.estimatedTotal', 'debts.wantsHelp'];
const CARE = ['care.needsCare', 'care.areas', 'care.currentProviders', 'socialNetwork.supportive'];
const RELEASE = [
  'addressAfterRelease.street',
  'addressAfterRelease.houseNumber',
  'addressAfterRelease.postalCode',
  'addressAfterRelease.city',
  'releaseType',
];
const COORDINATOR_ONLY = ['consent.schuldhulp', 'consent.zorg', 'reason'];

const plain = (...groups: string[][]): ProfileRule[] => groups.flat().map((path) => ({ path }));
const gated = (when: ProfileRule['when'], paths: string[]): ProfileRule[] =>
  paths.map((path) => ({ path, when }));

const ALWAYS = ['detentionId', ...DATES, ...MUNICIPALITIES];

export const DEFAULT_PRIVACY_PROFILES: Readonly<Record<RecipientKind, readonly ProfileRule[]>> = {
  brp: plain(ALWAYS, BSN, PERSON, INSTITUTIONS, IDENTITY, HOUSING, RELEASE),
  income: plain(ALWAYS, BSN, PERSON, INSTITUTIONS, IDENTITY, INCOME, RELEASE),
  schuldhulp: [
    ...plain(ALWAYS, BSN, PERSON, INSTITUTIONS, CASE_MANAGER, INCOME, RELEASE),
    ...gated('consent.schuldhulp', DEBTS),
  ],
  zorg: [
    ...plain(ALWAYS, PERSON, INSTITUTIONS, JUSTICE, CASE_MANAGER, HOUSING, RELEASE),
    ...gated('consent.zorg', CARE),
  ],
  coordinator: plain(
    ALWAYS,
    BSN,
    PERSON,
    INSTITUTIONS,
    JUSTICE,
    CASE_MANAGER,
    FLAGS,
    IDENTITY,
    HOUSING,
    INCOME,
    DEBTS,
    CARE,
    RELEASE,
    COORDINATOR_ONLY,
  ),
  // `detentionId` reaches ops only as a keyed hash (see Pseudonymizer).
  ops: plain(ALWAYS, INSTITUTION_CODES),
};
