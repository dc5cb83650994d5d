import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { OpsCredentialsService, OpsPrincipal } from '@nazorg/operations';

export const SESSION_COOKIE = 'nazorg_console';

/** Who is using the console, and the token its forms must send back (CSRF). */
export interface ConsoleSession {
  principal: OpsPrincipal;
  csrfToken: string;
}

/**
 * A browser session of the console: the ops API token the user pasted, in an HttpOnly,
 * SameSite=Strict cookie (scripts cannot read it, other sites cannot send it), checked on every
 * request by the same credentials service as the API. The CSRF token is derived from the session
 * with a key of this process, so it needs no server-side state.
 */
@Injectable()
export class ConsoleSessionService {
  private readonly csrfKey = randomBytes(32);

  constructor(private readonly credentials: OpsCredentialsService) {}

  /** The session of a request, or undefined without a valid cookie. */
  resolve(req: Request): ConsoleSession | undefined {
    const token = cookieOf(req, SESSION_COOKIE);
    if (!token) return undefined;
    return this.open(token);
  }

  open(token: string): ConsoleSession | undefined {
    const auth = this.credentials.authenticate(`Bearer ${token}`);
    if (!auth.ok) return undefined;
    return { principal: auth.principal, csrfToken: this.csrfOf(token) };
  }

  start(res: Response, token: string): void {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
  }

  end(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
  }

  /** Whether a form's `_csrf` field belongs to this request's session. */
  csrfValid(req: Request, presented: unknown): boolean {
    const token = cookieOf(req, SESSION_COOKIE);
    if (!token || typeof presented !== 'string') return false;
    const expected = Buffer.from(this.csrfOf(token));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private csrfOf(token: string): string {
    return createHmac('sha256', this.csrfKey).update(token, 'utf8').digest('base64url');
  }
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
