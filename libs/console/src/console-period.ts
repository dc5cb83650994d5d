/** The time window a view shows: the last hour, day or week, or a custom range. */
export interface ConsolePeriod {
  key: '1h' | '24h' | '7d' | 'custom';
  from: Date;
  to: Date;
  /** Bucket width of the rate charts. */
  bucketSeconds: number;
}

const PRESETS = { '1h': 3600, '24h': 86400, '7d': 7 * 86400 } as const;
const BUCKETS = { '1h': 60, '24h': 1800, '7d': 6 * 3600 } as const;

/** From the query (`period`, and `from`/`to` for custom); anything unreadable is the last hour. */
export function periodOf(
  query: { period?: string; from?: string; to?: string },
  now = new Date(),
): ConsolePeriod {
  if (query.period === 'custom') {
    const from = new Date(query.from ?? '');
    const to = query.to ? new Date(query.to) : now;
    if (!Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && from < to) {
      const span = (to.getTime() - from.getTime()) / 1000;
      // At most about 60 points per chart, at least one minute each.
      return { key: 'custom', from, to, bucketSeconds: Math.max(60, Math.ceil(span / 60 / 60) * 60) };
    }
  }
  const key = query.period === '24h' || query.period === '7d' ? query.period : '1h';
  return { key, from: new Date(now.getTime() - PRESETS[key] * 1000), to: now, bucketSeconds: BUCKETS[key] };
}
