import { createHash } from 'node:crypto';
import { DeadLetterView } from '@nazorg/operations';

/** Dead letters with the same cause: the same channel and the same field-level reasons. */
export interface DeadLetterGroup {
  /** Stable id of the cause (a hash of channel and reasons), for forms and links. */
  key: string;
  channel: string;
  reasons: string[];
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  items: DeadLetterView[];
}

export function reasonsOf(d: Pick<DeadLetterView, 'violations'>): string[] {
  return [...new Set(d.violations.map((v) => `${v.path}: ${v.message}`))].sort();
}

/** How often ingestion tried before keeping it (a parked Kafka record says so; otherwise once). */
export function attemptsOf(d: Pick<DeadLetterView, 'violations'>): number {
  for (const v of d.violations) {
    const m = /after (\d+) attempts/.exec(v.message);
    if (m) return Number(m[1]);
  }
  return 1;
}

/** Largest group first, then the most recent. */
export function groupDeadLetters(items: DeadLetterView[]): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetterGroup>();
  for (const d of items) {
    const reasons = reasonsOf(d);
    const key = createHash('sha256')
      .update(JSON.stringify([d.channel, reasons]))
      .digest('hex')
      .slice(0, 16);
    const at = new Date(d.receivedAt);
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        key,
        channel: d.channel,
        reasons,
        count: 1,
        firstSeen: at,
        lastSeen: at,
        items: [d],
      });
      continue;
    }
    g.count += 1;
    g.items.push(d);
    if (at < g.firstSeen) g.firstSeen = at;
    if (at > g.lastSeen) g.lastSeen = at;
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime(),
  );
}
