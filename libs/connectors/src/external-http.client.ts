import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';

export type ExternalAnswer =
  | { kind: 'answer'; status: number; body: Record<string, unknown> }
  /** Timeout, network error or 5xx: worth trying again later. */
  | { kind: 'transient'; reason: string }
  /** Any other 4xx: the request itself is wrong; retrying will not help. */
  | { kind: 'refused'; reason: string };

/**
 * The one place connectors call external systems. Reasons carry status codes and error classes,
 * never request or response content (they end up in logs and dead-letter headers).
 */
@Injectable()
export class ExternalHttpClient {
  constructor(private readonly config: AppConfig) {}

  async post(
    url: string,
    body: unknown,
    options: { acceptStatuses?: number[] } = {},
  ): Promise<ExternalAnswer> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.CONNECTOR_HTTP_TIMEOUT_MS),
      });
    } catch (error) {
      const name = (error as Error).name;
      return {
        kind: 'transient',
        reason: name === 'TimeoutError' ? 'external system timed out' : `network error (${name})`,
      };
    }
    const accepted = response.ok || (options.acceptStatuses ?? []).includes(response.status);
    if (!accepted) {
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 500 || response.status === 429
        ? { kind: 'transient', reason: `external system answered ${response.status}` }
        : { kind: 'refused', reason: `external system refused the request (${response.status})` };
    }
    const parsed = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { kind: 'answer', status: response.status, body: parsed };
  }
}
