import { ConnectorResultData, ConnectorResultType, HUB_SOURCE } from '../events/hub-event-types';
import { CloudEvent } from '../events/cloud-event';
import { RecipientKind } from '../events/event-types';
import { EnvelopeHints } from './event.validator';
import { ID_PATTERNS, ID_RULES, windowViolations } from './plausibility';
import { CONNECTOR_RESULT_LIMITS, isCleanString, parseWithinLimits } from './structural-limits';
import { isRfc3339 } from './validators';
import { Violation } from './violation';

/*
 * Connector results on `hub.results`, validated as strictly as feed events: the scanner's limits
 * first, then the envelope, then `data` and a schema per result type for `details` (fields of
 * docs/connectors.md; an unknown field is refused: the type is the hub's own, versioned contract).
 * Whether the recipient may send this type is checked against the tenant directory by the caller
 * (`RESULT_TYPES_OF_KIND`). Messages name the rule, never the value.
 */

/** One field of a result's `details`: its type, whether it may be null, whether it may be absent. */
type Field =
  | { t: 'bool' | 'int' | 'string' | 'strings'; nullable?: boolean; optional?: boolean }
  | { t: 'enum'; values: readonly string[]; nullable?: boolean; optional?: boolean };

const bool = (o: Partial<Field> = {}): Field => ({ t: 'bool', ...o }) as Field;
const int = (o: Partial<Field> = {}): Field => ({ t: 'int', ...o }) as Field;
const str = (o: Partial<Field> = {}): Field => ({ t: 'string', ...o }) as Field;
const strs = (o: Partial<Field> = {}): Field => ({ t: 'strings', ...o }) as Field;
const oneOf = (values: readonly string[], o: Partial<Field> = {}): Field =>
  ({ t: 'enum', values, ...o }) as Field;
const N = { nullable: true };
const O = { optional: true };
const ON = { optional: true, nullable: true };

const DECISIONS = ['suspend', 'suspend-pending', 'stop', 'none'];
const PARTNERS = {
  notificationId: str(ON),
  moment: oneOf(['screening', 'warm-handover', 'release']),
  partners: strs(),
  acknowledgedBy: strs(),
  awaitingAcknowledgement: strs(),
};

export const RESULT_DETAILS_SCHEMA: Record<ConnectorResultType, Record<string, Field>> = {
  [ConnectorResultType.BRP_REGISTRATION_CHECKED]: {
    registered: bool(),
    registeredInMunicipalityOfOrigin: bool(),
    municipality: str(N),
    hasAddress: bool(),
    addressFunction: oneOf(['home', 'postal-address'], N),
    hasValidIdDocument: bool(N),
    expectedAbsenceDays: int(N),
    deregistrationRisk: bool(N),
    addressInvestigation: bool(O),
  },
  [ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED]: {
    previousRisk: bool(N),
    deregistrationRisk: bool(N),
    revised: bool(),
    expectedAbsenceDays: int(N),
    addressInvestigation: bool(),
  },
  [ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED]: {
    hasAddressAfterRelease: bool(),
    addressCheck: oneOf(['registered-at-address', 'change-of-address-needed', 'postal-address-requested'], N),
    postalAddressNeeded: bool(),
  },
  [ConnectorResultType.INCOME_BENEFITS_CHECKED]: {
    hasBenefit: bool(),
    benefits: strs(),
    decision: oneOf(DECISIONS, N),
    expectedDetentionDays: int(ON),
    suspendUpToDays: int(O),
    measureId: str(ON),
  },
  [ConnectorResultType.INCOME_DECISION_REVISED]: {
    previousDecision: oneOf(DECISIONS),
    decision: oneOf(DECISIONS),
    revised: bool(),
    expectedDetentionDays: int(N),
    suspendUpToDays: int(),
  },
  [ConnectorResultType.INCOME_RESUMPTION_REQUESTED]: {
    resumption: oneOf(['resumed', 'reapplication-needed', 'no-benefit'], N),
    advanceNeeded: bool(),
    resumptionId: str(ON),
    previousDecision: oneOf(DECISIONS, O),
    revisedAtRelease: bool(O),
    actualDetentionDays: int(ON),
    suspendUpToDays: int(O),
  },
  [ConnectorResultType.SCHULDHULP_REFERRAL_MADE]: {
    referralId: str(N),
    status: oneOf(['accepted', 'waiting-list', 'declined'], N),
    waitingWeeks: int(O),
    declinedReason: str(O),
    cjibDebtOutsideRescheduling: bool(ON),
  },
  [ConnectorResultType.ZORG_PARTNERS_NOTIFIED]: PARTNERS,
  [ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED]: PARTNERS,
  [ConnectorResultType.ZORG_SUPERVISION_REGISTERED]: {
    supervisingOrganisation: str(),
    trajectId: str(N),
  },
};

/** Which kind of recipient may send which result type: a zorg connector cannot post a BRP check. */
export const RESULT_TYPES_OF_KIND: Partial<Record<RecipientKind, readonly ConnectorResultType[]>> = {
  brp: [
    ConnectorResultType.BRP_REGISTRATION_CHECKED,
    ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED,
    ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED,
  ],
  income: [
    ConnectorResultType.INCOME_BENEFITS_CHECKED,
    ConnectorResultType.INCOME_DECISION_REVISED,
    ConnectorResultType.INCOME_RESUMPTION_REQUESTED,
  ],
  schuldhulp: [ConnectorResultType.SCHULDHULP_REFERRAL_MADE],
  zorg: [
    ConnectorResultType.ZORG_PARTNERS_NOTIFIED,
    ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED,
    ConnectorResultType.ZORG_SUPERVISION_REGISTERED,
  ],
};

/** The kind whose connectors send this type (the one that lists it). */
export function kindOfResultType(type: ConnectorResultType): RecipientKind {
  return (Object.entries(RESULT_TYPES_OF_KIND).find(([, types]) => types?.includes(type))?.[0] ??
    'ops') as RecipientKind;
}

const RESULT_TYPES = Object.values(ConnectorResultType) as string[];
const MAX_TEXT = 256;

export type ConnectorResultValidation =
  | { valid: true; result: CloudEvent<ConnectorResultData> & { type: ConnectorResultType } }
  | { valid: false; violations: Violation[]; hints: EnvelopeHints };

/** Validates a connector result (raw bytes off `hub.results`). Pure: the clock is an argument. */
export function validateConnectorResult(input: unknown, now: Date = new Date()): ConnectorResultValidation {
  const scanned = parseWithinLimits(input, CONNECTOR_RESULT_LIMITS);
  if (!scanned.ok) return { valid: false, violations: scanned.violations, hints: {} };
  const raw = scanned.value;
  if (!isRecord(raw)) {
    return {
      valid: false,
      violations: [{ path: '$', message: 'must be a JSON object (a CloudEvent)' }],
      hints: {},
    };
  }
  const v: Violation[] = [];
  const text = (value: unknown, path: string, max = MAX_TEXT, optional = false): value is string => {
    if (value === undefined && optional) return false;
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      v.push({
        path,
        message: `${optional ? 'must be' : 'is required and must be'} a string of 1 to ${max} characters`,
      });
      return false;
    }
    return true;
  };

  if (raw.specversion !== '1.0') v.push({ path: '$.specversion', message: 'must be "1.0"' });
  if (text(raw.id, '$.id', 128) && !ID_PATTERNS.eventId.test(raw.id))
    v.push({ path: '$.id', message: ID_RULES.eventId });
  const knownType = typeof raw.type === 'string' && RESULT_TYPES.includes(raw.type);
  if (!knownType) v.push({ path: '$.type', message: `must be one of: ${RESULT_TYPES.join(', ')}` });
  const type = raw.type as ConnectorResultType;
  if (text(raw.source, '$.source') && knownType) {
    const expected = `${HUB_SOURCE}/connectors/${kindOfResultType(type)}`;
    if (raw.source !== expected) v.push({ path: '$.source', message: `must be ${expected} for this type` });
  }
  if (!isRfc3339(raw.time))
    v.push({ path: '$.time', message: 'is required and must be an RFC 3339 timestamp' });
  else v.push(...windowViolations(raw, { time: 'instant' }, '$', now));
  if (raw.datacontenttype !== undefined && raw.datacontenttype !== 'application/json')
    v.push({ path: '$.datacontenttype', message: 'must be "application/json"' });
  for (const attribute of ['correlationid', 'causationid'] as const) {
    if (
      text(raw[attribute], `$.${attribute}`, 128, true) &&
      !ID_PATTERNS.eventId.test(raw[attribute] as string)
    )
      v.push({ path: `$.${attribute}`, message: ID_RULES.eventId });
  }
  text(raw.tenant, '$.tenant', 64, true);
  text(raw.recipient, '$.recipient', 64, true);

  const data = raw.data;
  if (!isRecord(data)) v.push({ path: '$.data', message: 'is required and must be an object' });
  else {
    if (text(data.detentionId, '$.data.detentionId', 64) && !ID_PATTERNS.detentionId.test(data.detentionId))
      v.push({ path: '$.data.detentionId', message: ID_RULES.detentionId });
    if (raw.subject !== data.detentionId)
      v.push({ path: '$.subject', message: 'must equal data.detentionId' });
    text(data.recipientId, '$.data.recipientId', 64);
    if (raw.recipient !== undefined && raw.recipient !== data.recipientId)
      v.push({ path: '$.recipient', message: 'must equal data.recipientId' });
    if (data.outcome !== 'completed' && data.outcome !== 'person-unknown')
      v.push({ path: '$.data.outcome', message: 'must be one of: completed, person-unknown' });
    for (const key of Object.keys(data)) {
      if (!['detentionId', 'recipientId', 'outcome', 'details'].includes(key))
        v.push({ path: `$.data.${key}`, message: 'is not a field of a connector result' });
    }
    if (!isRecord(data.details))
      v.push({ path: '$.data.details', message: 'is required and must be an object' });
    else if (knownType) v.push(...detailsViolations(data.details, RESULT_DETAILS_SCHEMA[type]));
  }

  if (v.length > 0) return { valid: false, violations: v, hints: hintsOf(raw) };
  return {
    valid: true,
    result: raw as unknown as CloudEvent<ConnectorResultData> & { type: ConnectorResultType },
  };
}

function detailsViolations(details: Record<string, unknown>, schema: Record<string, Field>): Violation[] {
  const out: Violation[] = [];
  for (const key of Object.keys(details)) {
    if (!(key in schema))
      out.push({ path: `$.data.details.${key}`, message: 'is not a field of this result type' });
  }
  for (const [key, field] of Object.entries(schema)) {
    const path = `$.data.details.${key}`;
    const value = details[key];
    if (value === undefined) {
      if (!field.optional) out.push({ path, message: 'is required' });
      continue;
    }
    if (value === null) {
      if (!field.nullable) out.push({ path, message: 'must not be null' });
      continue;
    }
    const problem = fieldProblem(value, field);
    if (problem) out.push({ path, message: problem });
  }
  return out;
}

function fieldProblem(value: unknown, field: Field): string | undefined {
  switch (field.t) {
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be a boolean';
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) <= 1_000_000
        ? undefined
        : 'must be an integer of at most 1000000';
    case 'string':
      return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT
        ? undefined
        : `must be a string of 1 to ${MAX_TEXT} characters`;
    case 'strings':
      return Array.isArray(value) &&
        value.length <= 50 &&
        value.every((s) => typeof s === 'string' && s.length > 0 && s.length <= MAX_TEXT)
        ? undefined
        : `must be at most 50 strings of 1 to ${MAX_TEXT} characters`;
    case 'enum':
      return typeof value === 'string' && field.values.includes(value)
        ? undefined
        : `must be one of: ${field.values.join(', ')}`;
  }
}

function hintsOf(raw: Record<string, unknown>): EnvelopeHints {
  const hint = (value: unknown) =>
    typeof value === 'string' && value.length <= 256 && isCleanString(value) ? value : undefined;
  const data = isRecord(raw.data) ? raw.data : {};
  return {
    id: hint(raw.id),
    source: hint(raw.source),
    type: hint(raw.type),
    subject: hint(raw.subject) ?? hint(data.detentionId),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
