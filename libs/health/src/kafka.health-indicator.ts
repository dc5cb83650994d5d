import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';

/**
 * Up while every Kafka consumer of the process is in its group (a process that consumes nothing,
 * e.g. the hub with Kafka ingress off, is up). A crashed or disconnected consumer is down until
 * kafkajs has it rejoin.
 */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLogPort,
    private readonly indicators: HealthIndicatorService,
  ) {}

  isHealthy<Key extends string>(key: Key): HealthIndicatorResult<Key> {
    const check = this.indicators.check(key);
    const consumers = this.eventLog.consumerStates();
    const down = consumers.filter((c) => !c.connected).length;
    return down === 0
      ? check.up({ consumers: consumers.length })
      : check.down({ consumers: consumers.length, disconnected: down });
  }
}
