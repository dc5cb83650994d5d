import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CloudEvent } from '../events/cloud-event';
import { DetentionEventData } from '../events/detention-event-data';
import {
  ALL_DETENTION_EVENT_TYPES,
  DetentionEventType,
  isDetentionEventType,
  SOURCE_OF_TYPE,
} from '../events/event-types';
import {
  DetentionReleasedDto,
  DetentionStartedDto,
  DetentionTransferredDto,
  NotificationWithdrawnDto,
  ReleaseScheduledDto,
  ScreeningCompletedDto,
} from './detention-event.dto';
import { DateKind, ID_PATTERNS, ID_RULES, windowViolations } from './plausibility';
import { FEED_EVENT_LIMITS, isCleanString, parseWithinLimits } from './structural-limits';
import { isRfc3339 } from './validators';

import { Violation } from './violation';

export type { Violation } from './violation';

export type DetentionEvent = CloudEvent<DetentionEventData> & { type: DetentionEventType };

/** What is known of a rejected event's envelope, to index it in the dead-letter store. */
export interface EnvelopeHints {
  id?: string;
  source?: string;
  type?: string;
  /** The detention it seems to be about; only its keyed hash is ever stored. */
  subject?: string;
}

export type EventValidation =
  { valid: true; event: DetentionEvent } | { valid: false; violations: Violation[]; hints: EnvelopeHints };

const DTO_OF_TYPE: Record<DetentionEventType, new () => object> = {
  [DetentionEventType.DETENTION_STARTED]: DetentionStartedDto,
  [DetentionEventType.SCREENING_COMPLETED]: ScreeningCompletedDto,
  [DetentionEventType.RELEASE_SCHEDULED]: ReleaseScheduledDto,
  [DetentionEventType.DETENTION_TRANSFERRED]: DetentionTransferredDto,
  [DetentionEventType.DETENTION_RELEASED]: DetentionReleasedDto,
  [DetentionEventType.NOTIFICATION_WITHDRAWN]: NotificationWithdrawnDto,
};

/**
 * Validates a feed event against CONTRACT section 2 and lists every violation by JSON path.
 * Pure: takes the clock as an argument. Never puts a field's value into a message.
 */
export function validateDetentionEvent(
  input: Buffer | string | unknown,
  now: Date = new Date(),
): EventValidation {
  // Limits before meaning: nothing below walks the value before the scanner has bounded it.
  const scanned = parseWithinLimits(input, FEED_EVENT_LIMITS);
  if (!scanned.ok) return reject(scanned.violations, hintsAfterRejection(input));
  const parsed = scanned.value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject([{ path: '$', message: 'must be a JSON object (a CloudEvent)' }]);
  }

  const raw = parsed as Record<string, unknown>;
  const hints = envelopeHints(raw);
  const violations: Violation[] = [];
  const requireString = (key: string, max = 256) => {
    const value = raw[key];
    if (typeof value !== 'string' || value.length === 0) {
      violations.push({ path: `$.${key}`, message: 'is required and must be a non-empty string' });
      return false;
    }
    if (value.length > max) {
      violations.push({ path: `$.${key}`, message: `must be at most ${max} characters` });
      return false;
    }
    return true;
  };

  if (raw.specversion !== '1.0') violations.push({ path: '$.specversion', message: 'must be "1.0"' });
  if (requireString('id', 128) && !ID_PATTERNS.eventId.test(raw.id as string)) {
    violations.push({ path: '$.id', message: ID_RULES.eventId });
  }
  const hasSource = requireString('source');
  if (requireString('type') && !isDetentionEventType(raw.type)) {
    violations.push({
      path: '$.type',
      message: `unknown type; must be one of: ${ALL_DETENTION_EVENT_TYPES.join(', ')}`,
    });
  }
  if (raw.time === undefined) violations.push({ path: '$.time', message: 'is required' });
  else if (!isRfc3339(raw.time))
    violations.push({ path: '$.time', message: 'must be an RFC 3339 timestamp' });
  else violations.push(...windowViolations(raw, { time: 'instant' }, '$', now));
  requireString('subject', 64);
  if (raw.datacontenttype !== undefined && raw.datacontenttype !== 'application/json') {
    violations.push({ path: '$.datacontenttype', message: 'must be "application/json"' });
  }
  const data = raw.data;
  const dataIsObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  if (!dataIsObject) violations.push({ path: '$.data', message: 'is required and must be an object' });

  if (isDetentionEventType(raw.type)) {
    const expectedSource = SOURCE_OF_TYPE[raw.type];
    if (hasSource && raw.source !== expectedSource) {
      violations.push({ path: '$.source', message: `must be ${expectedSource} for this type` });
    }
    if (dataIsObject) {
      const dto = plainToInstance(DTO_OF_TYPE[raw.type], data);
      const errors = validateSync(dto, {
        forbidUnknownValues: false,
        validationError: { target: false, value: false },
      });
      violations.push(...flatten(errors, '$.data'));
      violations.push(...crossFieldViolations(raw, data as Record<string, unknown>, now));
    }
  }

  if (violations.length > 0) return { valid: false, violations, hints };
  return { valid: true, event: raw as unknown as DetentionEvent };

  function reject(list: Violation[], known: EnvelopeHints = {}): EventValidation {
    return { valid: false, violations: list, hints: known };
  }
}

/** Envelope attributes fit to index a dead letter: short strings the scanner's rules allow. */
function envelopeHints(raw: Record<string, unknown>): EnvelopeHints {
  const hint = (value: unknown) =>
    typeof value === 'string' && value.length <= 256 && isCleanString(value) ? value : undefined;
  const rawData = raw.data as Record<string, unknown> | undefined;
  return {
    id: hint(raw.id),
    source: hint(raw.source),
    type: hint(raw.type),
    subject:
      hint(raw.subject) ??
      (typeof rawData === 'object' && rawData !== null && !Array.isArray(rawData)
        ? hint(rawData.detentionId)
        : undefined),
  };
}

/**
 * The envelope of an input the scanner refused, so the dead letter is indexed (and found by the
 * erasure of its detention). JSON.parse is iterative in V8 and the input is within the byte limit;
 * only the top-level attributes are read.
 */
function hintsAfterRejection(input: unknown): EnvelopeHints {
  if (!(Buffer.isBuffer(input) || typeof input === 'string')) return {};
  if (Buffer.byteLength(input) > FEED_EVENT_LIMITS.maxBytes) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(input) ? input.toString('utf8') : input);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? envelopeHints(parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The dates and times of each type's `data`, and which window applies to them. */
const DATE_FIELDS: Record<DetentionEventType, Record<string, DateKind>> = {
  [DetentionEventType.DETENTION_STARTED]: { startedAt: 'instant', expectedReleaseDate: 'releaseDate' },
  [DetentionEventType.SCREENING_COMPLETED]: { screenedAt: 'instant' },
  [DetentionEventType.RELEASE_SCHEDULED]: {
    expectedReleaseDate: 'releaseDate',
    previousExpectedReleaseDate: 'releaseDate',
  },
  [DetentionEventType.DETENTION_TRANSFERRED]: { transferredAt: 'instant' },
  [DetentionEventType.DETENTION_RELEASED]: { releasedAt: 'instant' },
  [DetentionEventType.NOTIFICATION_WITHDRAWN]: {},
};

function flatten(errors: ValidationError[], prefix: string): Violation[] {
  const out: Violation[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({
        path,
        message: message.startsWith(error.property + ' ')
          ? message.slice(error.property.length + 1)
          : message,
      });
    }
    if (error.children?.length) out.push(...flatten(error.children, path));
  }
  return out;
}

function crossFieldViolations(
  raw: Record<string, unknown>,
  data: Record<string, unknown>,
  now: Date,
): Violation[] {
  const out: Violation[] = [];
  if (
    typeof raw.subject === 'string' &&
    typeof data.detentionId === 'string' &&
    raw.subject !== data.detentionId
  ) {
    out.push({ path: '$.subject', message: 'must equal data.detentionId' });
  }
  out.push(...windowViolations(data, DATE_FIELDS[raw.type as DetentionEventType], '$.data', now));
  const person = data.person;
  if (typeof person === 'object' && person !== null && !Array.isArray(person)) {
    out.push(
      ...windowViolations(
        person as Record<string, unknown>,
        { birthDate: 'birthDate' },
        '$.data.person',
        now,
      ),
    );
  }
  if (raw.type === DetentionEventType.DETENTION_STARTED && isRfc3339(data.startedAt)) {
    if (
      typeof data.expectedReleaseDate === 'string' &&
      data.expectedReleaseDate < data.startedAt.slice(0, 10)
    ) {
      out.push({ path: '$.data.expectedReleaseDate', message: 'must not be before startedAt' });
    }
  }
  return out;
}
