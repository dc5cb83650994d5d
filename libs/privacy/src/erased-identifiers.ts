import { PseudonymizerPort } from './pseudonymizer.port';

/**
 * What erasure replaces the identifiers with that lead back to a detention besides its id (ADR
 * 0024): the feed's event ids (DJI knows whom each was about), the connectors' result ids and the
 * hub's delivery ids (name-based UUIDs of those event ids, so anyone can recompute them), and the
 * trace ids made from the chain's correlation id. Each becomes a keyed hash under the pseudonym
 * key, in a namespace of its own: stable (a re-sent event of an erased detention is still a
 * duplicate, a chain of disclosures still shares one trace id), but not derivable without the key.
 */
export type KeyedHash = Pick<PseudonymizerPort, 'pseudonym' | 'candidates' | 'uuid'>;

/** The `event_id` an erased inbound event or connector result keeps: unique per (source, id). */
export function erasedEventId(keys: KeyedHash, source: string, eventId: string): string {
  return keys.pseudonym(`event\u0000${source}\u0000${eventId}`);
}

/** The same under the current key first, then each previous key (finding rows a rotation left). */
export function erasedEventIds(keys: KeyedHash, source: string, eventId: string): string[] {
  return keys.candidates(`event\u0000${source}\u0000${eventId}`);
}

/** A W3C trace id (32 hex) in place of one made from the chain's correlation id. */
export function erasedTraceId(keys: KeyedHash, traceId: string): string {
  return keys.pseudonym(`trace\u0000${traceId}`).slice(2);
}

/** The delivery id an erased delivery (and its disclosure records) keeps. */
export function erasedDeliveryId(keys: KeyedHash, deliveryId: string): string {
  return keys.uuid('erased-delivery', deliveryId);
}
