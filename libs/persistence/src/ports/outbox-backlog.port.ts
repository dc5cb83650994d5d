/** What the outbox still holds per recipient, for the backlog gauge (read at every scrape). */
export const OUTBOX_BACKLOG = Symbol('OUTBOX_BACKLOG');

export interface OutboxBacklogCount {
  recipientId: string;
  /** `pending`: not tried yet; `failing`: tried and failed at least once. */
  state: 'pending' | 'failing';
  count: number;
}

export interface OutboxBacklogPort {
  backlog(): Promise<OutboxBacklogCount[]>;
}
