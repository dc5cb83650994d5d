import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`, so the timestamp is
 * signed with the body and a receiver can refuse a captured delivery replayed later. The legacy
 * `X-Hub-Signature-256` (CONTRACT section 3) covers the body only and is still sent beside it.
 */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  legacySignature: 'x-hub-signature-256',
} as const;

/** `v1,<base64>` over `id.timestamp.body` with `key` (the recipient's decoded secret). */
export function standardWebhookSignature(key: Buffer, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` (CONTRACT section 3), with the secret's UTF-8 bytes. */
export function legacyWebhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

/**
 * What a receiver does with a delivery (docs/connectors.md shows the same in a few lines): the
 * signature must match one of the `v1,` entries (a space-separated list, for secret rotation) and
 * the timestamp must be within `toleranceSeconds` of `now`. A replay of a captured delivery is
 * refused once it is older than the tolerance; within it, the receiver de-duplicates on
 * `webhook-id` (the CloudEvent id, stable under redelivery).
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  key: Buffer,
  options: { toleranceSeconds: number; now?: Date },
): WebhookVerification {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header(WEBHOOK_HEADERS.id);
  const timestampText = header(WEBHOOK_HEADERS.timestamp);
  const signatures = header(WEBHOOK_HEADERS.signature);
  if (!id || !timestampText || !signatures || !/^\d+$/.test(timestampText)) {
    return { ok: false, reason: 'missing-headers' };
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > options.toleranceSeconds) {
    return { ok: false, reason: 'stale-timestamp' };
  }
  const expected = Buffer.from(standardWebhookSignature(key, id, timestamp, body));
  const matches = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, id, timestamp } : { ok: false, reason: 'bad-signature' };
}
