/** Thrown at start-up when configuration is invalid; lists every offending key. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: { key: string; message: string }[],
  ) {
    super(
      `Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
