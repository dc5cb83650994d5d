import { Controller, Get, Res } from '@nestjs/common';
import { Response } from 'express';
import { ReadinessService } from './readiness.service';

/** Liveness and readiness probes: no credential, and nothing but up/down. */
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when PostgreSQL answers and the broker connection is up; 503 otherwise. */
  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const checks = await this.readiness.check();
    const ok = checks.database && checks.rabbitmq;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  }
}
