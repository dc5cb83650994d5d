import { Violation } from '@nazorg/contracts';

/** RFC 9457 problem details: every non-2xx answer of the hub's and the operations' HTTP APIs. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Field-level reasons for a refused input, located by path (`month`, `$.data.person.bsn`). */
  violations?: Violation[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one way a problem is written (the global filter, and middleware that answers before Nest). */
export function sendProblem(res: ProblemResponse, problem: ProblemDetails): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** The part of Express's response that writing a problem needs. */
export interface ProblemResponse {
  status(code: number): { type(contentType: string): { send(body: string): unknown } };
}
