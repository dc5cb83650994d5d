/** Options of the mocked external systems (ExternalMocksModule.forRoot). */
export const EXTERNAL_MOCKS_OPTIONS = Symbol('EXTERNAL_MOCKS_OPTIONS');

export interface ExternalMocksOptions {
  /** How long a "slow" request (MOCK_TRIGGERS.slowBsn, `-SLOW`) waits before it is answered. */
  slowAnswerMs: number;
  /** Requests kept per system for `GET /<system>/__requests`; older ones are dropped. */
  maxRecordedRequests: number;
}

export const DEFAULT_SLOW_ANSWER_MS = 3000;

/**
 * Defaults, with the slow delay overridable by MOCK_SLOW_MS. Read when the module is instantiated
 * (not when this file is imported), so a test may set the variable before it starts the mocks.
 */
export function externalMocksOptions(
  overrides: Partial<ExternalMocksOptions> = {},
  env: Record<string, string | undefined> = process.env,
): ExternalMocksOptions {
  const fromEnv = env.MOCK_SLOW_MS ? Number(env.MOCK_SLOW_MS) : Number.NaN;
  return {
    slowAnswerMs: Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : DEFAULT_SLOW_ANSWER_MS,
    maxRecordedRequests: 1000,
    ...overrides,
  };
}
