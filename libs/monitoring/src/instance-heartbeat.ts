import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig } from '@nazorg/config';
import { loggableError } from '@nazorg/privacy';

export const APP_NAME = Symbol('APP_NAME');
/** Rows of instances not heard from for this long are removed. */
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * This process's row in `app_instance`, refreshed every HEARTBEAT_INTERVAL_MS. Its own one-connection
 * pool, so apps without the persistence module (the connectors) beat too. A failing beat (the
 * database away, the table not migrated yet) is logged once and tried again at the next interval.
 */
@Injectable()
export class InstanceHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceHeartbeat.name);
  readonly instanceId = randomUUID();
  private readonly startedAt = new Date();
  private readonly version = packageVersion();
  private pool?: Pool;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly config: AppConfig,
    @Inject(APP_NAME) private readonly app: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.pool = new Pool({ connectionString: this.config.DATABASE_URL, max: 1 });
    this.pool.on('error', () => undefined);
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // A process that stops cleanly is no longer running; one that dies shows as unhealthy.
    await this.pool
      ?.query(`delete from app_instance where instance_id = $1`, [this.instanceId])
      .catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }

  async beat(): Promise<void> {
    try {
      await this.pool!.query(
        `insert into app_instance (instance_id, app, version, host, pid, started_at, last_heartbeat_at)
         values ($1, $2, $3, $4, $5, $6, now())
         on conflict (instance_id) do update set last_heartbeat_at = now()`,
        [this.instanceId, this.app, this.version, hostname(), process.pid, this.startedAt],
      );
      await this.pool!.query(`delete from app_instance where last_heartbeat_at < $1`, [
        new Date(Date.now() - FORGET_AFTER_MS),
      ]);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`heartbeat failed, will try again: ${loggableError(error)}`);
      this.failing = true;
    }
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}
