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
