/**
 * Structural limits, checked on the raw JSON text before anything walks the value (class-transformer
 * and class-validator recurse; a few thousand nested arrays overflow their stack). One iterative
 * pass over the text checks syntax, nesting depth, keys per object, array items, total values,
 * string and key lengths, duplicate keys, reserved keys and Unicode hygiene. Violations name a JSON
 * path and a rule, never a value. The limits are documented in docs/message-flows.md.
 */
import { MAX_EVENT_BYTES } from '../events/event-types';
import { Violation } from './violation';

export interface StructuralLimits {
  maxBytes: number;
  /** Nesting of objects and arrays; the envelope itself is level 1. */
  maxDepth: number;
  maxKeysPerObject: number;
  maxArrayItems: number;
  /** Every value counts: objects, arrays, strings, numbers, literals. */
  maxValues: number;
  /** Per string, in UTF-16 code units. */
  maxStringLength: number;
  maxKeyLength: number;
}

export const FEED_EVENT_LIMITS: StructuralLimits = {
  maxBytes: MAX_EVENT_BYTES,
  maxDepth: 16,
  maxKeysPerObject: 64,
  maxArrayItems: 100,
  maxValues: 2000,
  maxStringLength: 2048,
  maxKeyLength: 128,
};

/** Connector results are the hub's own contract and small: a quarter of an event's budget. */
export const CONNECTOR_RESULT_LIMITS: StructuralLimits = { ...FEED_EVENT_LIMITS, maxBytes: 64 * 1024 };

/** At most this many violations are listed; the rest are summed up in one. */
const MAX_VIOLATIONS = 50;

/**
 * Keys that class-transformer would assign onto the instance: `__proto__` replaces the DTO's
 * prototype and with it every validation rule.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Keys shown as they are in paths; any other key is shown by its position (`{key 3}`). */
const PLAIN_KEY = /^[A-Za-z0-9_$@-]{1,64}$/;

export type ScanResult = { ok: true; value: unknown; text: string } | { ok: false; violations: Violation[] };

type Frame = { array: false; keys: Set<string>; key: string; count: number } | { array: true; count: number };

class Abort extends Error {}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes (strict UTF-8), scans and, when every limit holds, parses the input. Any other input than
 * bytes or text is serialised first, so the same rules apply to it.
 */
export function parseWithinLimits(input: unknown, limits: StructuralLimits): ScanResult {
  let text: string;
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
    if (input.length > limits.maxBytes) return tooLarge(input.length, limits);
    try {
      text = decoder.decode(input);
    } catch {
      return { ok: false, violations: [{ path: '$', message: 'is not valid UTF-8' }] };
    }
  } else if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = JSON.stringify(input) ?? '';
    } catch {
      return { ok: false, violations: [{ path: '$', message: 'cannot be represented as JSON' }] };
    }
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return tooLarge(bytes, limits);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const violations = scanJson(text, limits);
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, value: JSON.parse(text), text };
}

function tooLarge(bytes: number, limits: StructuralLimits): ScanResult {
  return {
    ok: false,
    violations: [{ path: '$', message: `body is ${bytes} bytes; at most ${limits.maxBytes} are accepted` }],
  };
}

/** True for a string free of control characters and lone surrogates (the scanner's string rule). */
export function isCleanString(value: string): boolean {
  return stringProblem(value, 0, value.length) === undefined;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
// eslint-disable-next-line no-control-regex -- the run stops at the control characters JSON forbids raw
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

/** Every violation of syntax and limits in `text` (empty: it may be parsed and walked). */
export function scanJson(text: string, limits: StructuralLimits): Violation[] {
  const violations: Violation[] = [];
  const stack: Frame[] = [];
  let i = 0;
  let values = 0;

  const path = () => {
    let p = '$';
    for (const f of stack) p += f.array ? `[${f.count - 1}]` : f.key;
    return p;
  };
  const add = (at: string, message: string) => {
    violations.push({ path: at, message });
    if (violations.length >= MAX_VIOLATIONS) {
      violations.push({
        path: '$',
        message: `more than ${MAX_VIOLATIONS} violations; the rest are not listed`,
      });
      throw new Abort();
    }
  };
  const abort = (at: string, message: string): never => {
    violations.push({ path: at, message });
    throw new Abort();
  };
  const syntax = (what: string): never => abort('$', `not valid JSON (${what} at position ${i})`);
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i += 1;
      else return;
    }
  };
  /** Reads a string at `i` (on its quote); returns its value only when `keep` (keys). */
  const string = (keep: boolean): string | undefined => {
    const start = ++i;
    let plain = true;
    for (;;) {
      // Skip a run of ordinary characters in one native step (i is a closure variable: slow per char).
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      i = PLAIN_RUN.lastIndex;
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) syntax('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) syntax('unescaped control character');
      if (c === 0x5c) {
        plain = false;
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) syntax('bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else syntax('bad escape');
      } else i += 1;
    }
    const raw = text.slice(start, i);
    i += 1;
    const value = plain ? raw : (JSON.parse(`"${raw}"`) as string);
    return keep ? value : checkValue(value);
  };
  const checkValue = (value: string): undefined => {
    if (value.length > limits.maxStringLength)
      add(path(), `must be at most ${limits.maxStringLength} characters`);
    const problem = stringProblem(value, 0, value.length);
    if (problem) add(path(), problem);
    return undefined;
  };
  const key = (frame: Extract<Frame, { array: false }>) => {
    if (text[i] !== '"') syntax('expected a key');
    const k = string(true) as string;
    frame.count += 1;
    frame.key = PLAIN_KEY.test(k) ? `.${k}` : `.{key ${frame.count}}`;
    if (frame.count > limits.maxKeysPerObject)
      abort(path(), `an object may have at most ${limits.maxKeysPerObject} keys`);
    if (k.length === 0 || k.length > limits.maxKeyLength)
      add(path(), `key must be 1 to ${limits.maxKeyLength} characters`);
    const problem = stringProblem(k, 0, k.length);
    if (problem) add(path(), `key ${problem}`);
    if (RESERVED_KEYS.has(k)) add(path(), 'is a reserved key');
    if (frame.keys.has(k)) add(path(), 'duplicate key: a key may occur once per object');
    frame.keys.add(k);
    ws();
    if (text[i] !== ':') syntax("expected ':'");
    i += 1;
  };

  try {
    ws();
    let expectValue = true;
    for (;;) {
      if (expectValue) {
        ws();
        values += 1;
        if (values > limits.maxValues) abort(path(), `more than ${limits.maxValues} values in one input`);
        const c = text[i];
        if (c === '{' || c === '[') {
          if (stack.length >= limits.maxDepth) abort(path(), `nested deeper than ${limits.maxDepth} levels`);
          i += 1;
          ws();
          if (c === '{') {
            const frame: Frame = { array: false, keys: new Set(), key: '', count: 0 };
            if (text[i] === '}') {
              i += 1;
              expectValue = false;
              continue;
            }
            stack.push(frame);
            key(frame);
          } else {
            if (text[i] === ']') {
              i += 1;
              expectValue = false;
              continue;
            }
            stack.push({ array: true, count: 1 });
          }
          continue;
        }
        if (c === '"') string(false);
        else {
          const re = c === 't' || c === 'f' || c === 'n' ? LITERAL : NUMBER;
          re.lastIndex = i;
          const m = re.exec(text);
          if (!m) syntax('unexpected character');
          i += (m as RegExpExecArray)[0].length;
        }
        expectValue = false;
        continue;
      }
      ws();
      const top = stack[stack.length - 1];
      if (!top) {
        if (i !== text.length) syntax('unexpected data after the value');
        break;
      }
      const c = text[i];
      if (c === ',') {
        i += 1;
        ws();
        if (top.array) {
          top.count += 1;
          if (top.count > limits.maxArrayItems)
            abort(path(), `an array may have at most ${limits.maxArrayItems} items`);
        } else key(top);
        expectValue = true;
      } else if ((c === '}' && !top.array) || (c === ']' && top.array)) {
        i += 1;
        stack.pop();
      } else syntax(`expected ',' or '${top.array ? ']' : '}'}'`);
    }
  } catch (error) {
    if (!(error instanceof Abort)) throw error;
  }
  return violations;
}

/**
 * Control characters (C0 but tab, line feed and carriage return; DEL; C1) and lone UTF-16
 * surrogates. PostgreSQL cannot store U+0000 nor a lone surrogate in jsonb; the others have no place
 * in any field of the contract and hide text from whoever reads it.
 */
function stringProblem(s: string, from: number, to: number): string | undefined {
  for (let j = from; j < to; j += 1) {
    const c = s.charCodeAt(j);
    if (c < 0x20) {
      if (c === 0x00) return 'must not contain the NUL character (U+0000)';
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return 'must not contain control characters';
    } else if (c >= 0x7f && c <= 0x9f) return 'must not contain control characters';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(j + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return 'must be valid Unicode (a lone surrogate)';
      j += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'must be valid Unicode (a lone surrogate)';
  }
  return undefined;
}
