import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CLOUDEVENTS_CONTENT_TYPE, CloudEvent, FeedSource } from '@nazorg/contracts';
import { FeedEventRefusedError, FeedSink } from './feed-sink.port';
import { injectTraceContext } from '@nazorg/observability';

/** Base URL of the hub for the HTTP sink (default `http://localhost:<HUB_HTTP_PORT>`). */
export const FEED_HUB_URL = Symbol('FEED_HUB_URL');

const TIMEOUT_MS = 10_000;

/**
 * HTTP (CONTRACT section 2): `POST <hub>/api/v1/events` with the bearer token of the event's source,
 * as structured CloudEvent. Any 2xx is accepted (the hub answers 202, also for a duplicate).
 */
@Injectable()
export class HttpFeedSink implements FeedSink {
  private readonly endpoint: string;

  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(FEED_HUB_URL) hubUrl?: string | null,
  ) {
    const base = hubUrl || `http://localhost:${config.HUB_HTTP_PORT}`;
    this.endpoint = `${base.replace(/\/+$/, '')}/api/v1/events`;
  }

  async send(event: CloudEvent<object>): Promise<void> {
    const token =
      event.source === FeedSource.DPAN ? this.config.INGEST_TOKEN_DPAN : this.config.INGEST_TOKEN_INJUS;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': CLOUDEVENTS_CONTENT_TYPE,
        authorization: `Bearer ${token}`,
        ...injectTraceContext(),
      },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // Read nothing of the body (a problem document may describe the event); just release it.
    await response.body?.cancel();
    if (response.ok) return;
    const message = `hub answered ${response.status}`;
    // A client error other than timeout or throttling will be the same next time.
    const refused = response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
    throw refused ? new FeedEventRefusedError(message) : new Error(message);
  }
}
