import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Request } from 'express';
import { ConsoleSession, ConsoleSessionService } from './console-session.service';

type ConsoleRequest = Request & { consoleSession?: ConsoleSession };

/**
 * Every console page but the login: a valid session cookie, and on POST the session's CSRF token
 * in the form. Without a session the login filter sends the browser to the login page.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(private readonly sessions: ConsoleSessionService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const session = this.sessions.resolve(req);
    if (!session) throw new UnauthorizedException('Log in to the console.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = req.body as Record<string, unknown> | undefined;
      if (!this.sessions.csrfValid(req, body?._csrf))
        throw new ForbiddenException('The form is not from this session; reload the page.');
    }
    req.consoleSession = session;
    return true;
  }
}

/** The session ConsoleGuard resolved. */
export const Session = createParamDecorator(
  (_: unknown, context: ExecutionContext): ConsoleSession =>
    context.switchToHttp().getRequest<ConsoleRequest>().consoleSession as ConsoleSession,
);
