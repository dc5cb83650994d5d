/**
 * The hub's apps as child processes (node dist/apps/<app>/src/main.js), as in production: their
 * memory and CPU are read from /proc, never from inside.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { sleep, until } from '../support';

export interface RunningApp {
  name: string;
  process: ChildProcess;
  url: string;
}

/** Children still running when the bench ends (also by an error) are ended with it. */
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const NODE_OPTIONS = process.env.NODE_OPTIONS || readFileSync('config/node-options', 'utf8').trim();

export async function startApp(
  name: 'hub' | 'ops',
  env: Record<string, string>,
  portKey: 'HUB_HTTP_PORT' | 'OPS_HTTP_PORT',
  /** Its name in the results (a second hub: `hub-2`). */
  label: string = name,
): Promise<RunningApp> {
  const port = await freePort();
  // BENCH_APP_NODE_ARGS: extra node flags for the apps (a CPU profile: `--cpu-prof --cpu-prof-dir=...`).
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, `dist/apps/${name}/src/main.js`], {
    // The V8 heap limits the image gives every app (config/node-options, docs/adr/0029).
    env: { ...process.env, NODE_OPTIONS: NODE_OPTIONS, ...env, [portKey]: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
    children.delete(child);
  });
  const url = `http://127.0.0.1:${port}`;
  await until(
    `${name} to answer /health`,
    async () => {
      if (exited !== null) throw new Error(`bench: ${name} exited with ${exited} during start`);
      try {
        return (await fetch(`${url}/health`)).ok;
      } catch {
        return false;
      }
    },
    120_000,
  );
  return { name: label, process: child, url };
}

export async function stopApp(app: RunningApp): Promise<void> {
  if (app.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => app.process.once('exit', () => resolve()));
  app.process.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => app.process.kill('SIGKILL'))]);
}

/** Peak resident set size (VmHWM) in MB: the kernel's high-water mark since the process started. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** CPU time (user + system) in clock ticks; Linux's USER_HZ is 100. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export const TICKS_PER_SECOND = 100;

/** What the machine's CPU went to: every process's ticks, grouped by service (bench/hub/hub.bench.ts). */
export function cpuTicksByService(apps: readonly { name: string; pid: number }[]): Record<string, number> {
  const named = new Map<number, string>([[process.pid, 'bench (feed, recipients, checks)']]);
  for (const a of apps) named.set(a.pid, a.name);
  const out: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const service =
      named.get(pid) ??
      (comm === 'postgres'
        ? 'PostgreSQL'
        : comm.startsWith('beam') || comm === 'erl_child_setup'
          ? 'RabbitMQ'
          : comm === 'java'
            ? 'Kafka'
            : 'other');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[service] = (out[service] ?? 0) + Number(fields[11]) + Number(fields[12]);
  }
  return out;
}

/** Times the kernel took the CPU from a process that could have gone on (`nonvoluntary_ctxt_switches`). */
export function involuntarySwitches(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}
