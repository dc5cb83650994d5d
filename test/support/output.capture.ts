/**
 * Captures everything this process writes to stdout and stderr (Nest's logger, TypeORM's, kafkajs
 * through ours), so tests can scan the logs of the hub and ops running in-process for personal data.
 */
export class OutputCapture {
  private readonly chunks: string[] = [];
  private readonly original = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };

  start(): this {
    const keep = ((chunk: string | Uint8Array) => (
      this.chunks.push(String(chunk)),
      true
    )) as typeof process.stdout.write;
    process.stdout.write = keep;
    process.stderr.write = keep;
    return this;
  }

  stop(): void {
    process.stdout.write = this.original.out;
    process.stderr.write = this.original.err;
  }

  text(): string {
    return this.chunks.join('');
  }

  /** Writes past the capture (a test's own summary line). */
  print(line: string): void {
    this.original.out(`${line}\n`);
  }
}
