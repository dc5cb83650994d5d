import { erasedDeliveryId, erasedEventId, erasedTraceId } from './erased-identifiers';
import { Pseudonymizer } from './pseudonymizer';

describe('identifiers an erasure leaves (ADR 0024)', () => {
  const keys = new Pseudonymizer('a-key-of-at-least-sixteen');
  const other = new Pseudonymizer('another-key-of-sixteen');
  const eventId = '5b1f0e9e-3a7c-4c8e-9d2b-1f2e3d4c5b6a';

  it('are stable per value, differ per kind of identifier and per key, and show nothing of the value', () => {
    expect(erasedEventId(keys, 'urn:dji', eventId)).toBe(erasedEventId(keys, 'urn:dji', eventId));
    expect(erasedEventId(keys, 'urn:dji', eventId)).not.toBe(erasedEventId(keys, 'urn:dpan', eventId));
    expect(erasedEventId(keys, 'urn:dji', eventId)).not.toBe(erasedEventId(other, 'urn:dji', eventId));
    // Not the detention pseudonym of the same text: each kind has its namespace.
    expect(erasedEventId(keys, 'urn:dji', eventId)).not.toBe(keys.pseudonym(eventId));
    const trace = eventId.replace(/-/g, '');
    expect(erasedTraceId(keys, trace)).toMatch(/^[0-9a-f]{32}$/);
    expect(erasedTraceId(keys, trace)).not.toBe(trace);
    expect(erasedDeliveryId(keys, eventId)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    for (const value of [
      erasedEventId(keys, 'urn:dji', eventId),
      erasedTraceId(keys, trace),
      erasedDeliveryId(keys, eventId),
    ])
      expect(value).not.toContain(eventId.slice(0, 8));
  });
});
