import { HttpException } from '@nestjs/common';
import { Violation } from '@nazorg/contracts';
import { ProblemDetails } from './problem-details';

/**
 * A refusal a handler, guard or pipe chose, carrying the RFC 9457 body the global ProblemFilter
 * writes. Titles and details are fixed wording: they never quote the input (it may name a person).
 */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }

  /** 400 with field-level violations (`in`: where the bad fields were: query, path parameters, body). */
  static invalid(violations: Violation[], where: 'query' | 'param' | 'body' = 'query'): ProblemException {
    const [type, title] = INVALID[where];
    return new ProblemException({ type, title, status: 400, violations });
  }

  static unauthorized(detail: string): ProblemException {
    return new ProblemException({
      type: 'urn:nazorg-hub:problem:unauthorized',
      title: 'Missing or invalid credential',
      status: 401,
      detail,
    });
  }

  static forbidden(title: string, detail?: string): ProblemException {
    return new ProblemException({ type: 'urn:nazorg-hub:problem:forbidden', title, status: 403, detail });
  }

  static notFound(title: string): ProblemException {
    return new ProblemException({ type: 'urn:nazorg-hub:problem:not-found', title, status: 404 });
  }
}

const INVALID: Record<'query' | 'param' | 'body', [string, string]> = {
  query: ['urn:nazorg-hub:problem:invalid-query', 'Invalid query'],
  param: ['urn:nazorg-hub:problem:invalid-parameter', 'Invalid path parameter'],
  body: ['urn:nazorg-hub:problem:invalid-body', 'Invalid request body'],
};
