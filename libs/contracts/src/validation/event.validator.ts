import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CloudEvent } from '../events/cloud-event';
import { DetentionEventData } from '../events/detention-event-data';
import {
  ALL_DETENTION_EVENT_TYPES,
  DetentionEventType,
  isDetentionEventType,
  MAX_EVENT_BYTES,
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
import { isRfc3339 } from './validators';

/** One rule an event breaks, located by a JSON path into the event (`$.data.person.bsn`). */
export interface Violation {
  path: string;
  message: string;
}

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

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Validates a feed event against CONTRACT section 2 and lists every violation by JSON path.
 * Pure: takes the clock as an argument. Never puts a field's value into a message.
 */
export function validateDetentionEvent(
  input: Buffer | string | unknown,
  now: Date = new Date(),
): EventValidation {
  let parsed: unknown = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const bytes = Buffer.isBuffer(input) ? input.length : Buffer.byteLength(input, 'utf8');
    if (bytes > MAX_EVENT_BYTES) {
      return reject([
        { path: '$', message: `body is ${bytes} bytes; at most ${MAX_EVENT_BYTES} are accepted` },
      ]);
    }
    try {
      parsed = JSON.parse(Buffer.isBuffer(input) ? input.toString('utf8') : input);
    } catch (error) {
      // JSON.parse's own message quotes the input; keep only the position.
      const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
      return reject([
        { path: '$', message: `not valid JSON${position ? ` (at position ${position})` : ''}` },
      ]);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject([{ path: '$', message: 'must be a JSON object (a CloudEvent)' }]);
  }

  const raw = parsed as Record<string, unknown>;
  const hint = (value: unknown) =>
    typeof value === 'string' && !value.includes(NUL) ? value.slice(0, 256) : undefined;
  const rawData = raw.data as Record<string, unknown> | undefined;
  const hints: EnvelopeHints = {
    id: hint(raw.id),
    source: hint(raw.source),
    type: hint(raw.type),
    subject:
      hint(raw.subject) ??
      (typeof rawData === 'object' && rawData !== null ? hint(rawData.detentionId) : undefined),
  };
  // PostgreSQL cannot store U+0000 in text or jsonb: refuse it here, field by field, rather than
  // fail at storage (a 500 over HTTP, an endless retry over Kafka).
  const violations: Violation[] = nulPaths(raw, '$').map((path) => ({
    path,
    message: 'must not contain the NUL character (U+0000)',
  }));
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
  requireString('id');
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

  function reject(list: Violation[]): EventValidation {
    return { valid: false, violations: list, hints: {} };
  }
}

const NUL = '\u0000';

function nulPaths(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes(NUL) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulPaths(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      k.includes(NUL) ? [path] : nulPaths(v, `${path}.${k}`),
    );
  }
  return [];
}

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
  if (raw.type === DetentionEventType.DETENTION_STARTED && isRfc3339(data.startedAt)) {
    const startedAt = Date.parse(data.startedAt);
    if (startedAt > now.getTime() + DAY_MS) {
      out.push({ path: '$.data.startedAt', message: 'must not be more than one day in the future' });
    }
    if (
      typeof data.expectedReleaseDate === 'string' &&
      data.expectedReleaseDate < data.startedAt.slice(0, 10)
    ) {
      out.push({ path: '$.data.expectedReleaseDate', message: 'must not be before startedAt' });
    }
  }
  return out;
}
