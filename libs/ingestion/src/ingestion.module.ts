import { Module } from '@nestjs/common';
import { RoutingModule } from '@nazorg/routing';
import { BrokerIngressController } from './broker/broker-ingress.controller';
import { BrokerPublishers } from './broker/broker-publishers';
import { ConsumerLagGauge } from './broker/consumer-lag.gauge';
import { QueueDepthGauge } from './broker/queue-depth.gauge';
import { EventsController } from './http/events.controller';
import { IngestCredentials } from './http/ingest-credentials';
import { IntakeGate } from './http/intake.gate';
import { IngestionService } from './ingestion.service';
import { RecordEventsUseCase } from './recording/record-events.use-case';
import { KafkaIngressBatchScope } from './broker/kafka-ingress-batch.scope';
import { ConnectorResultsController } from './results/connector-results.controller';
import { ResultIngestionService } from './results/result-ingestion.service';

/** The ingestion pipeline without its entry points (e.g. for replay from the operations API). */
@Module({
  imports: [RoutingModule],
  providers: [
    RecordEventsUseCase,
    IngestionService,
    ResultIngestionService,
    BrokerPublishers,
    KafkaIngressBatchScope,
  ],
  exports: [
    IngestionService,
    ResultIngestionService,
    BrokerPublishers,
    KafkaIngressBatchScope,
    RoutingModule,
  ],
})
export class IngestionCoreModule {}

/** The pipeline with its entry points: HTTP, Kafka and RabbitMQ ingress, connector results. */
@Module({
  imports: [IngestionCoreModule],
  controllers: [EventsController, BrokerIngressController, ConnectorResultsController],
  providers: [IngestCredentials, ConsumerLagGauge, QueueDepthGauge, IntakeGate],
  exports: [IntakeGate],
})
export class IngestionModule {}
