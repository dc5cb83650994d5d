import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { loggableError } from '@nazorg/privacy';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's own exception handlers log an unexpected error whole (`logger.error(exception)`): its
 * message and stack, where a database error quotes the value it failed on and TypeORM's carries
 * the query's parameters. This filter, global in every app, logs `loggableError` instead.
 * Over a broker the error is rethrown untouched, so the adapter still decides (a throw is a
 * retry, ADR 0002); over HTTP it answers a problem+json 500 that says nothing about the input.
 * HttpExceptions are answers the code chose and keep Nest's handling.
 */
@Catch()
export class UnexpectedErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('UnexpectedError');

  override catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') {
      this.logger.warn(`handler failed: ${loggableError(exception)}`);
      return throwError(() => exception);
    }
    if (exception instanceof HttpException) return super.catch(exception, host);
    const res = host.switchToHttp().getResponse<ProblemResponse>();
    if (res.headersSent) return;
    const client = clientErrorOf(exception);
    if (client) {
      // A client error from Express middleware (e.g. the body parser's 413): its fixed wording only.
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:request',
        title: client.title,
        status: client.status,
      });
    }
    this.logger.error(`request failed: ${loggableError(exception)}`);
    sendProblem(res, {
      type: 'urn:nazorg-hub:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: 'The request could not be completed; try again later.',
    });
  }
}

interface ProblemResponse {
  headersSent: boolean;
  status(code: number): { type(t: string): { send(body: string): void } };
}

function sendProblem(
  res: ProblemResponse,
  problem: { type: string; title: string; status: number; detail?: string },
) {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** An `http-errors` client error (what body-parser throws): 4xx with `expose`, a generic message. */
function clientErrorOf(exception: unknown): { status: number; title: string } | undefined {
  const e = exception as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : e?.status;
  if (typeof status !== 'number' || status < 400 || status > 499 || e.expose !== true) return undefined;
  // A JSON parser's SyntaxError quotes the body it could not parse.
  if (exception instanceof SyntaxError) return { status, title: 'Malformed request body' };
  return { status, title: typeof e.message === 'string' ? e.message.slice(0, 100) : 'Bad request' };
}
