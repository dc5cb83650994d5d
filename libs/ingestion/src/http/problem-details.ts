import { Response } from 'express';

/** RFC 9457 problem details. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(res: Response, problem: ProblemDetails): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

export const Problems = {
  unauthorized: (): ProblemDetails => ({
    type: 'urn:nazorg-hub:problem:unauthorized',
    title: 'Missing or invalid credential',
    status: 401,
    detail: 'Send Authorization: Bearer <token> with the credential configured for your source.',
  }),
  forbidden: (): ProblemDetails => ({
    type: 'urn:nazorg-hub:problem:wrong-source',
    title: 'Credential not valid for this source',
    status: 403,
    detail: "The credential belongs to another source than the event's `source`.",
  }),
};
