import { DynamicModule, Global, Module } from '@nestjs/common';
import { AmqpConfirmPublisher } from './amqp/amqp-confirm.publisher';
import { BrokerIdentity } from '@nazorg/config';
import { AmqpConnection, BROKER_IDENTITY } from './amqp/amqp-connection';
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
  /** `identity`: which app's broker login this process uses (docs/adr/0010). */
  static forRoot(options: { identity: BrokerIdentity }): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: BROKER_IDENTITY, useValue: options.identity },
        AmqpConnection,
        { provide: AMQP_PUBLISHER, useClass: AmqpConfirmPublisher },
        { provide: EVENT_LOG, useClass: KafkajsEventLog },
      ],
      exports: [BROKER_IDENTITY, AmqpConnection, AMQP_PUBLISHER, EVENT_LOG],
    };
  }
}
