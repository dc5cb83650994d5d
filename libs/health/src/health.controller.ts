import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '@nazorg/http';
import { Response } from 'express';
import { HEALTH_OPTIONS, HealthOptions, ReadinessCheck } from './health.options';
import { HealthSchema, ReadinessSchema } from './health.schema';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { RabbitMqHealthIndicator } from './rabbitmq.health-indicator';
import { ReadinessRegistry } from './readiness.registry';

/** The body of `/health/ready`: terminus' result, plus one boolean per check (the older shape). */
export type ReadinessBody = HealthCheckResult & { checks: Partial<Record<ReadinessCheck, boolean>> };

/**
 * Liveness and readiness probes through @nestjs/terminus: no credential, nothing but up/down and
 * fixed wording. `/health` answers while the process serves HTTP (`npm start` waits on the hub's);
 * `/health/ready` is 200 when every configured dependency answers and every registered part of the
 * app runs (`components`), 503 otherwise (also while it starts or stops).
 */
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly timeoutMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly rabbitmq: RabbitMqHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly components: ReadinessRegistry,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  @Get()
  @ApiOkResponse({ description: 'The process is alive', type: HealthSchema })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Every dependency answers', type: ReadinessSchema })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer', type: ReadinessSchema })
  async ready(@Res() res: Response): Promise<void> {
    const body = await this.readiness();
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  }

  async readiness(): Promise<ReadinessBody> {
    const indicators: Record<ReadinessCheck, HealthIndicatorFunction> = {
      database: () => this.database.pingCheck('database', { timeout: this.timeoutMs }),
      rabbitmq: () => this.rabbitmq.isHealthy('rabbitmq', this.timeoutMs),
      kafka: async () => this.kafka.isHealthy('kafka'),
      components: async () => {
        const parts = this.components.report();
        const check = this.indicators.check('components');
        return Object.values(parts).every(Boolean) ? check.up(parts) : check.down(parts);
      },
    };
    let result: HealthCheckResult;
    try {
      result = await this.health.check(this.options.readiness.map((name) => indicators[name]));
    } catch (error) {
      // terminus throws its (complete) result as a 503 when a check is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const checks = Object.fromEntries(
      this.options.readiness.map((name) => [name, result.details[name]?.status === 'up']),
    );
    return { ...result, checks };
  }
}
