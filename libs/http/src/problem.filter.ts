import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { UnexpectedErrorFilter } from '@nazorg/messaging';
import { Observable } from 'rxjs';
import { ProblemDetails, ProblemResponse, sendProblem } from './problem-details';
import { ProblemException } from './problem.exception';

/**
 * The one global exception filter of an HTTP app (hub, ops): every non-2xx answer is
 * `application/problem+json` (RFC 9457). A ProblemException is written as it is; any other
 * HttpException (Nest's own 404 for an unknown route, a 405, a pipe's 400) as `about:blank` with
 * the status's standard phrase only, because Nest's messages quote the path (`Cannot GET
 * /api/v1/detentions/<id>/x`), which may carry a detention id. Everything else (unexpected errors,
 * the body parser's client errors, errors on a broker transport) is UnexpectedErrorFilter's:
 * logged without personal data, 500, or rethrown to the broker adapter.
 */
@Catch()
export class ProblemFilter extends UnexpectedErrorFilter {
  override catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http' || !(exception instanceof HttpException))
      return super.catch(exception, host);
    const res = host.switchToHttp().getResponse<ProblemResponse & { headersSent: boolean }>();
    if (res.headersSent) return;
    sendProblem(res, problemOf(exception));
  }
}

/** The problem an HttpException answers (exported for the unit spec). */
export function problemOf(exception: HttpException): ProblemDetails {
  if (exception instanceof ProblemException) return exception.problem;
  const status = exception.getStatus();
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status };
}
