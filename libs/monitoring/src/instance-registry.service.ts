import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@nazorg/config';

/** The shape of GET /api/v1/instances. */
export interface InstanceView {
  app: string;
  instanceId: string;
  version: string;
  host: string;
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
  lastHeartbeatAt: string;
  healthy: boolean;
}

/** Every app instance that wrote a heartbeat; healthy while its last beat is within 3 intervals. */
@Injectable()
export class InstanceRegistry {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<InstanceView[]> {
    const rows: {
      instance_id: string;
      app: string;
      version: string;
      host: string;
      pid: number;
      started_at: Date;
      last_heartbeat_at: Date;
      now: Date;
    }[] = await this.db.query(`select *, now() as now from app_instance order by app, started_at`);
    return rows.map((r) => {
      const now = new Date(r.now).getTime();
      const last = new Date(r.last_heartbeat_at);
      return {
        app: r.app,
        instanceId: r.instance_id,
        version: r.version,
        host: r.host,
        pid: r.pid,
        startedAt: new Date(r.started_at).toISOString(),
        uptimeSeconds: Math.max(0, Math.round((now - new Date(r.started_at).getTime()) / 1000)),
        lastHeartbeatAt: last.toISOString(),
        healthy: now - last.getTime() <= 3 * this.config.HEARTBEAT_INTERVAL_MS,
      };
    });
  }
}
