import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { FeedSource } from '@nazorg/contracts';

/** Bearer tokens for HTTP ingest: one per feed source, from configuration. */
@Injectable()
export class IngestCredentials {
  private readonly tokens: { token: Buffer; source: string }[];

  constructor(config: AppConfig) {
    this.tokens = [
      { token: Buffer.from(config.INGEST_TOKEN_INJUS), source: FeedSource.INJUS },
      { token: Buffer.from(config.INGEST_TOKEN_DPAN), source: FeedSource.DPAN },
    ];
  }

  /** The source a credential may post for, or undefined when it is missing or wrong. */
  sourceFor(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = Buffer.from(match[1]);
    // Constant-time comparison: a token's prefix must not be guessable from response times.
    return this.tokens.find((t) => t.token.length === presented.length && timingSafeEqual(t.token, presented))
      ?.source;
  }
}
