/** PostgreSQL's own fsync probe: the floor under every durable commit on this disk. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface FsyncBaseline {
  tool: string;
  /** 8 kB writes, one per sync, per method (e.g. fdatasync), in operations per second. */
  opsPerSecond: Record<string, number>;
  /** The method PostgreSQL uses by default on Linux. */
  fdatasyncOpsPerSecond: number | null;
}

function findTool(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort().reverse()) {
    const tool = join(root, version, 'bin', 'pg_test_fsync');
    if (existsSync(tool)) return tool;
  }
  return null;
}

/** Runs in `dir` (the data directory: the same file system as PostgreSQL's WAL). */
export function runFsyncBaseline(dir: string, secondsPerTest: number): FsyncBaseline | { skipped: string } {
  const tool = findTool();
  if (!tool) return { skipped: 'pg_test_fsync not found under /usr/lib/postgresql/*/bin' };
  const out = execFileSync(tool, ['-s', String(secondsPerTest), '-f', join(dir, 'pg_test_fsync.tmp')], {
    encoding: 'utf8',
  });
  // Only the first section: "Compare file sync methods using one 8kB write".
  const section = out.split(/Compare file sync methods using two/)[0];
  const opsPerSecond: Record<string, number> = {};
  for (const line of section.split('\n')) {
    const m = /^\s+(\S+)\s.*?([\d.]+) ops\/sec/.exec(line);
    if (m) opsPerSecond[m[1]] = Number(m[2]);
  }
  return { tool, opsPerSecond, fdatasyncOpsPerSecond: opsPerSecond['fdatasync'] ?? null };
}
