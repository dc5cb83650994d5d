import { randomUUID } from 'node:crypto';
import {
  CloudEvent,
  ConnectorResultData,
  ConnectorResultType,
  HUB_SOURCE,
  kindOfResultType,
} from '@nazorg/contracts';

/**
 * Connector results for integration tests, valid by the result schemas (docs/connectors.md): complete
 * details of the type, overridable field by field, from the source of the type's connector kind.
 */
const DEFAULT_DETAILS: Record<ConnectorResultType, Record<string, unknown>> = {
  [ConnectorResultType.BRP_REGISTRATION_CHECKED]: {
    registered: true,
    registeredInMunicipalityOfOrigin: true,
    municipality: null,
    hasAddress: false,
    addressFunction: null,
    hasValidIdDocument: null,
    expectedAbsenceDays: null,
    deregistrationRisk: null,
  },
  [ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED]: {
    previousRisk: null,
    deregistrationRisk: null,
    revised: false,
    expectedAbsenceDays: null,
    addressInvestigation: false,
  },
  [ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED]: {
    hasAddressAfterRelease: true,
    addressCheck: 'registered-at-address',
    postalAddressNeeded: false,
  },
  [ConnectorResultType.INCOME_BENEFITS_CHECKED]: { hasBenefit: false, benefits: [], decision: 'none' },
  [ConnectorResultType.INCOME_DECISION_REVISED]: {
    previousDecision: 'suspend',
    decision: 'suspend',
    revised: false,
    expectedDetentionDays: null,
    suspendUpToDays: 183,
  },
  [ConnectorResultType.INCOME_RESUMPTION_REQUESTED]: { resumption: 'resumed', advanceNeeded: false },
  [ConnectorResultType.SCHULDHULP_REFERRAL_MADE]: { referralId: null, status: 'accepted' },
  [ConnectorResultType.ZORG_PARTNERS_NOTIFIED]: {
    moment: 'screening',
    partners: [],
    acknowledgedBy: [],
    awaitingAcknowledgement: [],
  },
  [ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED]: {
    moment: 'warm-handover',
    partners: [],
    acknowledgedBy: [],
    awaitingAcknowledgement: [],
  },
  [ConnectorResultType.ZORG_SUPERVISION_REGISTERED]: {
    supervisingOrganisation: 'reclassering-nederland',
    trajectId: null,
  },
};

export function connectorResult(
  type: ConnectorResultType,
  detentionId: string,
  recipientId: string,
  details: Record<string, unknown> = {},
  envelope: Partial<CloudEvent<ConnectorResultData>> = {},
): CloudEvent<ConnectorResultData> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: `${HUB_SOURCE}/connectors/${kindOfResultType(type)}`,
    type,
    time: new Date().toISOString(),
    subject: detentionId,
    datacontenttype: 'application/json',
    data: {
      detentionId,
      recipientId,
      outcome: 'completed',
      details: { ...DEFAULT_DETAILS[type], ...details },
    },
    ...envelope,
  };
}
