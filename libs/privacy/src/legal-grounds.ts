import { DisclosureGroundsConfig } from '@nazorg/config';
import { RecipientKind } from '@nazorg/contracts';

export interface DisclosureGround {
  processingActivity: string;
  legalGround: string;
}

/**
 * Purpose (processing activity) and legal ground of each kind of disclosure, written into every
 * disclosure record. See docs/privacy.md for the reasoning per kind.
 */
export const DISCLOSURE_GROUNDS: Readonly<Record<RecipientKind, DisclosureGround>> = {
  brp: {
    processingActivity: 'nazorg.brp-registration-and-id-check',
    legalGround: 'Wet basisregistratie personen; Wet Straffen en Beschermen',
  },
  income: {
    processingActivity: 'nazorg.benefit-suspension-and-resumption',
    legalGround: 'Participatiewet (art. 13: no benefit during detention); Wet SUWI',
  },
  schuldhulp: {
    processingActivity: 'nazorg.debt-help-referral',
    legalGround: 'Wet gemeentelijke schuldhulpverlening; consent recorded at screening',
  },
  zorg: {
    processingActivity: 'nazorg.warm-handover-to-care',
    legalGround: 'Wmo 2015; consent recorded at screening',
  },
  coordinator: {
    processingActivity: 'nazorg.case-coordination',
    legalGround: 'Wet Straffen en Beschermen (exchange between PI and municipality for aftercare)',
  },
  ops: {
    processingActivity: 'operations.flow-monitoring',
    legalGround: 'AVG art. 6(1)(e); pseudonymised, no direct identifiers',
  },
};

/** The defaults with the tenant file's `disclosureGrounds` on top (a municipality's own wording). */
export function resolveDisclosureGrounds(
  overrides: DisclosureGroundsConfig | undefined,
): Readonly<Record<RecipientKind, DisclosureGround>> {
  const resolved = { ...DISCLOSURE_GROUNDS };
  for (const kind of Object.keys(DISCLOSURE_GROUNDS) as RecipientKind[]) {
    const override = overrides?.[kind];
    if (override)
      resolved[kind] = { processingActivity: override.processingActivity, legalGround: override.legalGround };
  }
  return resolved;
}

/** Disclosures to recipients outside the tenants' recipient kinds (hub-originated messages). */
export const HUB_DISCLOSURE_GROUNDS: Readonly<Record<string, DisclosureGround>> = {
  dpan: {
    processingActivity: 'nazorg.dpan-municipal-answer',
    legalGround:
      'Wet Straffen en Beschermen; Penitentiaire beginselenwet (DPAN: exchange between DJI and the municipality)',
  },
};

/**
 * For people, not machines (the access request's document, AVG art. 15): who a recipient kind is
 * and what each processing activity is for. An activity a tenant configured itself that is not
 * listed here is shown by its id.
 */
export const RECIPIENT_KIND_ORGANISATIONS: Readonly<Record<string, string>> = {
  brp: 'Basisregistratie Personen (BRP) of the municipality',
  income: 'Work and income (benefits) department of the municipality',
  schuldhulp: 'Debt help (schuldhulpverlening)',
  zorg: 'Care partners, through the regional care platform',
  coordinator: 'Aftercare coordinator of the municipality',
  ops: 'Operations of the hub (pseudonymised: no name, BSN or detention id)',
  dpan: 'Dienst Justitiële Inrichtingen (DJI), through DPAN',
};

export const PROCESSING_ACTIVITY_PURPOSES: Readonly<Record<string, string>> = {
  'nazorg.brp-registration-and-id-check':
    'Checking the registration in the population register and a valid ID before release',
  'nazorg.benefit-suspension-and-resumption':
    'Suspending a benefit during detention and resuming it after release',
  'nazorg.debt-help-referral': 'Referral to debt help',
  'nazorg.warm-handover-to-care': 'Handing over to care partners at release (warm handover)',
  'nazorg.case-coordination': "Coordinating the aftercare case at the person's municipality",
  'operations.flow-monitoring': 'Monitoring that messages flow, without knowing whom they are about',
  'nazorg.dpan-municipal-answer': "The municipality's answer to the prison (DPAN)",
};
