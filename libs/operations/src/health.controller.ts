import { Controller, Get, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Response } from 'express';
import { AmqpConnection } from '@nazorg/messaging';
import { DataSource } from 'typeorm';

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly amqp: AmqpConnection,
  ) {}

  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when PostgreSQL answers and the broker connection is up. */
  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const checks = { database: false, rabbitmq: false };
    checks.database = await this.db.query('select 1').then(
      () => true,
      () => false,
    );
    checks.rabbitmq = await Promise.race([
      this.amqp.currentModel().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
    ]);
    const ok = checks.database && checks.rabbitmq;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  }
}
