interface Envelope {
  id: string;
  source: string;
  type: string;
  time: string;
}

/** What the jsonb column keeps in clear: enough to count and trace, nothing about the person. */
export function envelopeOf(event: Envelope): object {
  return { id: event.id, source: event.source, type: event.type, time: event.time };
}

/** What an event about an erased detention keeps: no id (the feed's ids lead back, ADR 0024). */
export function erasedStub(event: { source: string; type: string; time: string }): object {
  return { source: event.source, type: event.type, time: event.time, erased: true };
}
