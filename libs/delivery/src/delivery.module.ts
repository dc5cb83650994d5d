import { Module } from '@nestjs/common';
import { RoutingModule } from '@nazorg/routing';
import { BrokerDeadLettersModule } from './broker-dead-letters.module';
import { DELIVERY_SENDERS } from './delivery-sender.port';
import { KafkaDeliverySender } from './kafka-delivery.sender';
import { OutboxRelayService } from './outbox-relay.service';
import { RelayOutboxBatchUseCase } from './relay-outbox-batch.use-case';
import { DeliveryObserver } from './delivery.observer';
import { OutboxBacklogGauge } from './outbox-backlog.gauge';
import { RabbitmqDeliverySender } from './rabbitmq-delivery.sender';
import { WebhookDeliverySender } from './webhook-delivery.sender';

@Module({
  imports: [RoutingModule, BrokerDeadLettersModule],
  providers: [
    RabbitmqDeliverySender,
    WebhookDeliverySender,
    KafkaDeliverySender,
    {
      provide: DELIVERY_SENDERS,
      inject: [RabbitmqDeliverySender, WebhookDeliverySender, KafkaDeliverySender],
      useFactory: (...senders: unknown[]) => senders,
    },
    RelayOutboxBatchUseCase,
    OutboxRelayService,
    DeliveryObserver,
    OutboxBacklogGauge,
  ],
  exports: [OutboxRelayService, RelayOutboxBatchUseCase],
})
export class DeliveryModule {}
