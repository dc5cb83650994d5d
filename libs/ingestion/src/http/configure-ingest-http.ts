import { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_EVENT_BYTES } from '@nazorg/contracts';

/**
 * The ingest endpoint reads the raw body itself (any content type): the bytes must reach the
 * validator and the dead-letter store unchanged, including broken JSON. Bodies over 256 KiB are
 * still read (up to 8x that) so they can be kept with their reason; larger ones are refused by
 * the parser with 413 and not kept.
 */
export function configureIngestHttp(app: NestExpressApplication): void {
  app.useBodyParser('raw', { type: () => true, limit: MAX_EVENT_BYTES * 8 });
}
