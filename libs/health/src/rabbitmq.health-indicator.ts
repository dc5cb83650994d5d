import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AmqpConnection } from '@nazorg/messaging';
import { withinTimeout } from './within-timeout';

/** Up while the process's AMQP connection is live. */
@Injectable()
export class RabbitMqHealthIndicator {
  constructor(
    private readonly amqp: AmqpConnection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy<Key extends string>(key: Key, timeoutMs: number): Promise<HealthIndicatorResult<Key>> {
    const check = this.indicators.check(key);
    // The connection object outlives a lost connection (it recovers in the background), so open
    // and close a channel: that only succeeds on a live connection.
    const live = await withinTimeout(
      this.amqp.currentModel().then(async (model) => (await model.createChannel()).close()),
      timeoutMs,
    );
    return live ? check.up() : check.down({ message: 'no live connection' });
  }
}
