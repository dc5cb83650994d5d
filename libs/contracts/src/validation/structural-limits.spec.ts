import fc from 'fast-check';
import { validateDetentionEvent } from './event.validator';
import { FEED_EVENT_LIMITS, parseWithinLimits, scanJson } from './structural-limits';

const NOW = new Date('2026-11-25T12:00:00Z');
const scan = (text: string) => scanJson(text, FEED_EVENT_LIMITS);

describe('structural limits (iterative scan of the raw text)', () => {
  it('accepts ordinary JSON and parses it', () => {
    const r = parseWithinLimits('{"a":[1,2,{"b":"c"}],"d":null,"e":-1.5e3,"f":true}', FEED_EVENT_LIMITS);
    expect(r).toMatchObject({ ok: true, value: { a: [1, 2, { b: 'c' }], d: null } });
  });

  it('stops 5,000 nested arrays at the depth limit without recursion', () => {
    const deep = `{"data":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const violations = scan(deep);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toBe('nested deeper than 16 levels');
    expect(violations[0].path).toMatch(/^\$\.data\.x(\[0\])+$/);
    // Far beyond any stack: still one bounded pass.
    expect(scan('['.repeat(1_000_000))).toHaveLength(1);
  });

  it.each([
    ['a lone high surrogate, escaped', '{"id":"\\ud800"}', '$.id', 'lone surrogate'],
    ['a lone low surrogate, raw', '{"id":"\udc00"}', '$.id', 'lone surrogate'],
    ['NUL, escaped', '{"a":{"b":"x\\u0000"}}', '$.a.b', 'NUL'],
    ['a control character', '{"a":"\\u001b[31m"}', '$.a', 'control'],
    ['a C1 control character', '{"a":"\\u0085"}', '$.a', 'control'],
    ['a duplicate key', '{"id":"a","id":"b"}', '$.id', 'duplicate key'],
    ['__proto__', '{"data":{"__proto__":{}}}', '$.data.__proto__', 'reserved'],
    ['a bad key shown by position only', '{"a":1,"x\\u0000":2}', '$.{key 2}', 'NUL'],
    ['too many keys', `{${Array.from({ length: 65 }, (_, i) => `"k${i}":1`).join(',')}}`, '$.k64', 'keys'],
    ['too many items', `{"a":[${Array(101).fill(0).join(',')}]}`, '$.a[100]', 'items'],
    ['a long string', `{"a":"${'x'.repeat(2049)}"}`, '$.a', 'at most 2048'],
    ['a long key', `{"${'k'.repeat(129)}":1}`, '$.{key 1}', 'key must be'],
    [
      'too many values',
      `{"a":[${Array(60)
        .fill(`[${Array(40).fill(1).join(',')}]`)
        .join(',')}]}`,
      '$.a[48][29]',
      'values',
    ],
    ['broken JSON', '{"a":', '$', 'not valid JSON'],
    ['trailing data', '{} {}', '$', 'after the value'],
    ['a raw control character in a string', '{"a":"\u0001"}', '$', 'not valid JSON'],
  ])('rejects %s by path', (_, text, path, message) => {
    const violations = scan(text);
    expect(violations.map((v) => v.path)).toContain(path);
    expect(violations.find((v) => v.path === path)?.message).toContain(message);
  });

  it('allows tab, line feed, carriage return and surrogate pairs', () => {
    expect(scan('{"a":"x\\ty\\nz\\r","b":"\\ud83d\\ude00 😀"}')).toEqual([]);
  });

  it('rejects invalid UTF-8 bytes and bodies over the byte limit', () => {
    expect(parseWithinLimits(Buffer.from([0x7b, 0xff, 0x7d]), FEED_EVENT_LIMITS)).toMatchObject({
      ok: false,
      violations: [{ path: '$', message: 'is not valid UTF-8' }],
    });
    const big = Buffer.alloc(FEED_EVENT_LIMITS.maxBytes + 1, 0x20);
    expect(parseWithinLimits(big, FEED_EVENT_LIMITS)).toMatchObject({ ok: false });
  });

  it('never names a value in a violation', () => {
    expect(JSON.stringify(scan('{"bsn":"999990019\\u0000","bsn":"Piet"}'))).not.toMatch(/999990019|Piet/);
  });

  it('agrees with JSON.parse on what is JSON (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const violations = scan(text);
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        if (!parses) expect(violations.length).toBeGreaterThan(0);
        if (violations.length === 0) expect(parses).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('any JSON value the scanner accepts is walked by the validator without throwing (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 20 }), (value) => {
        const text = JSON.stringify(value);
        expect(() => validateDetentionEvent(text, NOW)).not.toThrow();
        expect(() => validateDetentionEvent(JSON.stringify({ data: value, type: 'x' }), NOW)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('the validator never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.anything(),
          fc.uint8Array().map((a) => Buffer.from(a)),
        ),
        (input) => {
          expect(() => validateDetentionEvent(input, NOW)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
