import { DynamicModule, Global, Module } from '@nestjs/common';
import { AmqpConfirmPublisher } from './amqp/amqp-confirm.publisher';
import { AmqpConnection } from './amqp/amqp-connection';
import { AMQP_PUBLISHER } from './amqp/amqp-publisher.port';
import { EVENT_LOG } from './kafka/event-log.port';
import { KafkajsEventLog } from './kafka/kafkajs.event-log';

/**
 * The broker adapters. Connections open on first use, so a process only dials the brokers it uses.
 * The Kafka client is bound in exactly one place: swap `useClass` to change it.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        AmqpConnection,
        { provide: AMQP_PUBLISHER, useClass: AmqpConfirmPublisher },
        { provide: EVENT_LOG, useClass: KafkajsEventLog },
      ],
      exports: [AmqpConnection, AMQP_PUBLISHER, EVENT_LOG],
    };
  }
}
