import { Response } from 'express';
import { SafeHtml } from './html';

/**
 * Sends a console page: scripts only from this origin (no inline script, no CDN), never framed,
 * never cached (a coordinator's pages name people).
 */
export function sendHtml(res: Response, body: SafeHtml, status = 200): void {
  res
    .status(status)
    .type('html')
    .setHeader(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    )
    .setHeader('cache-control', 'no-store')
    .setHeader('x-content-type-options', 'nosniff')
    .setHeader('referrer-policy', 'same-origin')
    .send(body.value);
}
