import { ProblemDetails } from '@nazorg/http';

// The problem shape and writer are the HTTP layer's (@nazorg/http); re-exported for the ingest code.
export { PROBLEM_CONTENT_TYPE, ProblemDetails, sendProblem } from '@nazorg/http';

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
  stopping: (): ProblemDetails => ({
    type: 'urn:nazorg-hub:problem:stopping',
    title: 'This hub is stopping',
    status: 503,
    detail: 'Nothing was stored; send the event again shortly (another hub, or this one after its restart).',
  }),
};
