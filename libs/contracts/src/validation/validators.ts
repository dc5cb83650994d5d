import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidBsn } from './bsn';

/*
 * Custom constraints. Their messages never echo the offending value: a rejected event may hold
 * personal data, and violation messages are shown to operators and returned to clients.
 */

export function IsBsn(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBsn',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be 9 digits passing the eleven-test (elfproef)', ...options },
      validator: { validate: (value: unknown) => isValidBsn(value) },
    });
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a valid ISO date (YYYY-MM-DD)', ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

const RFC3339_RE = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp with a time zone, on a date that exists. */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339_RE.exec(value);
  if (!m || !isCalendarDate(m[1])) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 60) return false;
  return !Number.isNaN(Date.parse(value));
}

export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRfc3339',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be an RFC 3339 timestamp with a time zone', ...options },
      validator: { validate: (value: unknown) => isRfc3339(value) },
    });
}
