import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ATTEMPT_HEADER = 'x-nazorg-attempt';
export const ATTEMPT_MAC_HEADER = 'x-nazorg-attempt-mac';

/**
 * The AMQP attempt count, which must be the hub's own: any publisher can set headers, and a forged
 * `x-nazorg-attempt: 999` would dead-letter a message at once, a negative one retry it for ever.
 * The adapter signs the count it writes on a retry copy with an HMAC over the queue, the message
 * id, a hash of the body and the count (key RETRY_COUNTER_KEY); on delivery a count whose MAC does
 * not verify is ignored and the message is on its first attempt (docs/adr/0013).
 */
export class AttemptCounter {
  private readonly key: Buffer;

  constructor(key: string) {
    // A key of its own derived for this purpose, so the configured secret is never used twice.
    this.key = createHmac('sha256', key).update('nazorg-amqp-attempt-counter-v1').digest();
  }

  /** The attempt this delivery is: 1 unless the hub itself signed an earlier count. */
  attemptOf(
    queue: string,
    messageId: string | undefined,
    body: Buffer,
    headers: Record<string, unknown> | undefined,
  ): number {
    const count = headers?.[ATTEMPT_HEADER];
    const mac = headers?.[ATTEMPT_MAC_HEADER];
    const text = Buffer.isBuffer(count)
      ? count.toString()
      : typeof count === 'string' || typeof count === 'number'
        ? String(count)
        : '';
    if (!/^[1-9][0-9]{0,8}$/.test(text)) return 1;
    const expected = this.mac(queue, messageId, body, Number(text));
    const given = Buffer.from(
      Buffer.isBuffer(mac) ? mac.toString() : typeof mac === 'string' ? mac : '',
      'utf8',
    );
    const wanted = Buffer.from(expected, 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 1;
    return Number(text) + 1;
  }

  /** The headers a copy carries after `attempt` failed attempts. */
  headersFor(
    queue: string,
    messageId: string | undefined,
    body: Buffer,
    attempt: number,
  ): Record<string, string> {
    return {
      [ATTEMPT_HEADER]: String(attempt),
      [ATTEMPT_MAC_HEADER]: this.mac(queue, messageId, body, attempt),
    };
  }

  private mac(queue: string, messageId: string | undefined, body: Buffer, attempt: number): string {
    const bodyHash = createHash('sha256').update(body).digest('hex');
    return createHmac('sha256', this.key)
      .update(JSON.stringify([queue, messageId ?? '', bodyHash, attempt]))
      .digest('base64url');
  }
}
