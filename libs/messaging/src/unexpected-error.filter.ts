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
    this.logger.error(`request failed: ${loggableError(exception)}`);
    const res = host.switchToHttp().getResponse<{
      headersSent: boolean;
      status(code: number): { type(t: string): { send(body: string): void } };
    }>();
    if (res.headersSent) return;
    res
      .status(500)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'urn:nazorg-hub:problem:internal',
          title: 'Internal error',
          status: 500,
          detail: 'The request could not be completed; try again later.',
        }),
      );
  }
}
