import { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_EVENT_BYTES } from '@nazorg/contracts';
import { NextFunction, Request, Response } from 'express';
import { IngestCredentials } from './ingest-credentials';
import { Problems, sendProblem } from './problem-details';

export const INGEST_PATH = '/api/v1/events';

/**
 * The ingest endpoint reads the raw body itself (any content type): the bytes must reach the
 * validator and the dead-letter store unchanged, including broken JSON. Bodies over 256 KiB are
 * still read (up to 8x that) so they can be kept with their reason; larger ones are refused by
 * the parser with 413 and not kept. The credential is checked first, before a byte of the body
 * is read: an unauthenticated client cannot make the hub buffer megabytes.
 */
export function configureIngestHttp(app: NestExpressApplication): void {
  const credentials = app.get(IngestCredentials);
  app.use(INGEST_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || credentials.sourceFor(req.headers.authorization)) return next();
    // The unread body is not wanted: close the connection instead of draining it.
    res.setHeader('connection', 'close');
    sendProblem(res, Problems.unauthorized());
  });
  app.useBodyParser('raw', { type: () => true, limit: MAX_EVENT_BYTES * 8 });
}
