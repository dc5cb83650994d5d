import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { inSpan, injectTraceContext, SpanKind } from '@nazorg/observability';

/** What came of one call to an external system. */
export type ExternalAnswer =
  /** A 2xx (or an explicitly accepted status) with its parsed JSON body (undefined when empty). */
  | { kind: 'answer'; status: number; body: unknown }
  /** Timeout, network error, 5xx, 408 or 429: worth trying again later. */
  | { kind: 'transient'; reason: string }
  /** Any other non-2xx: the request itself is wrong; sending it again will not help. */
  | { kind: 'refused'; reason: string };

export interface RequestOptions {
  /** Non-2xx statuses that are an answer here (e.g. 404 for a person the system does not know). */
  acceptStatuses?: readonly number[];
}

/** 408 and 429 are the 4xx answers that mean "not now" rather than "not this". */
const RETRYABLE_4XX = new Set([408, 429]);

/**
 * The one place connectors call external systems: JSON over HTTP with global fetch and a timeout of
 * CONNECTOR_HTTP_TIMEOUT_MS for the whole exchange (headers and body).
 *
 * Reasons name the system and carry only status codes, timeouts and error classes, never request or
 * response content: they end up in logs and in dead-letter headers, where personal data may not go.
 */
@Injectable()
export class ExternalHttpClient {
  constructor(private readonly config: AppConfig) {}

  postJson(
    system: string,
    url: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<ExternalAnswer> {
    return this.requestJson('POST', system, url, body, options);
  }

  putJson(system: string, url: string, body: unknown, options: RequestOptions = {}): Promise<ExternalAnswer> {
    return this.requestJson('PUT', system, url, body, options);
  }

  /** A GET: only for URLs that carry no personal data (ids of ours, never a BSN). */
  getJson(system: string, url: string, options: RequestOptions = {}): Promise<ExternalAnswer> {
    return this.requestJson('GET', system, url, undefined, options);
  }

  /** One client span per call; the URL is not an attribute (a path may name a person). */
  private requestJson(
    method: 'GET' | 'POST' | 'PUT',
    system: string,
    url: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<ExternalAnswer> {
    return inSpan(
      `${method} ${system}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'nazorg.system': system } },
      async (span) => {
        const answer = await this.exchange(method, system, url, body, options);
        span.setAttribute('nazorg.answer', answer.kind);
        return answer;
      },
    );
  }

  private async exchange(
    method: 'GET' | 'POST' | 'PUT',
    system: string,
    url: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<ExternalAnswer> {
    const timeoutMs = this.config.CONNECTOR_HTTP_TIMEOUT_MS;
    try {
      const response = await fetch(url, {
        method,
        headers: {
          ...(body === undefined
            ? { accept: 'application/json' }
            : { 'content-type': 'application/json', accept: 'application/json' }),
          // W3C trace context of this call's span.
          ...injectTraceContext(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect could carry personal data elsewhere: treat it as an answer, not follow it.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const { status } = response;
      if (!response.ok && !(options.acceptStatuses ?? []).includes(status)) {
        await response.body?.cancel().catch(() => undefined);
        const reason = `${system} answered ${status}`;
        return status >= 500 || RETRYABLE_4XX.has(status)
          ? { kind: 'transient', reason }
          : { kind: 'refused', reason };
      }
      const text = await response.text();
      if (text.trim() === '') return { kind: 'answer', status, body: undefined };
      try {
        return { kind: 'answer', status, body: JSON.parse(text) as unknown };
      } catch {
        return { kind: 'transient', reason: `${system} answered ${status} with a body that is not JSON` };
      }
    } catch (error) {
      return { kind: 'transient', reason: describeFailure(system, error, timeoutMs) };
    }
  }
}

/** Only the error's class and, for network errors, the system error code (ECONNREFUSED, ...). */
function describeFailure(system: string, error: unknown, timeoutMs: number): string {
  // Not `instanceof Error`: the DOMException of a timeout may come from another realm (e.g. under jest).
  const named = (error as { name?: unknown } | null | undefined)?.name;
  const name = typeof named === 'string' && /^[A-Za-z]{1,40}$/.test(named) ? named : typeof error;
  if (name === 'TimeoutError' || name === 'AbortError')
    return `${system} did not answer within ${timeoutMs} ms`;
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const safeCode = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
  return `${system} unreachable (${safeCode ?? name})`;
}
