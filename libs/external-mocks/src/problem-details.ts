import { Response } from 'express';

/** One offending request parameter, as the Haal Centraal APIs report it. */
export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  invalidParams?: InvalidParam[];
}

const TYPES: Record<number, string> = {
  400: 'https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1',
  404: 'https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4',
  500: 'https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.1',
  503: 'https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.4',
};

/**
 * Sets an RFC 9457 problem answer on a passthrough response and returns its body. Express' `json()`
 * keeps a content type that is already set, so the body goes out as application/problem+json.
 */
export function problem(
  res: Response,
  status: number,
  title: string,
  extra: Omit<ProblemDetails, 'type' | 'title' | 'status'> = {},
): ProblemDetails {
  res.status(status).type('application/problem+json');
  return { type: TYPES[status] ?? 'about:blank', title, status, instance: res.req.originalUrl, ...extra };
}

/** The 400 answer for invalid parameters, worded like Haal Centraal's. */
export function invalidParams(res: Response, params: InvalidParam[]): ProblemDetails {
  return problem(res, 400, 'Een of meerdere parameters zijn niet correct.', {
    code: 'paramsValidation',
    invalidParams: params,
  });
}

/** A request body as an object whose fields the mock checks one by one (anything else: no fields). */
export function bodyFields(body: unknown): Record<string, unknown> {
  return (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
}
