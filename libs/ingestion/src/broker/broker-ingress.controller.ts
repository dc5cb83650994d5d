import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AppConfig } from '@nazorg/config';
import { errorName, HandlingResult, InboundMessage, isInfrastructureFailure } from '@nazorg/messaging';
import { IngressChannel } from '@nazorg/persistence';
import { extractTraceContext, inSpan, SpanKind } from '@nazorg/observability';
import { IngestionService } from '../ingestion.service';
import { BrokerPublishers } from './broker-publishers';
import { IngressPatterns } from './ingress-patterns';

/**
 * Feed events from Kafka and RabbitMQ. Every outcome of ingestion is durable (stored, duplicate, or
 * kept as a dead letter), so each is `done`. A failure throws, and the adapter retries by its class
 * (docs/adr/0013-failures-bounded-retries.md): the database away retries without limit; a failure
 * this input causes every time (a poison input) is, at the INGRESS_CONTENT_FAILURE_ATTEMPTS-th
 * attempt, kept as a replayable dead letter; and where even that fails on the input (the database
 * refuses what the dead letter would hold), the adapter puts it on the broker's dead-letter topic
 * or queue. Either way the partition or queue moves on.
 */
@Controller()
export class BrokerIngressController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly config: AppConfig,
    private readonly publishers: BrokerPublishers,
  ) {}

  @EventPattern(IngressPatterns.KAFKA)
  fromKafka(@Payload() message: InboundMessage): Promise<HandlingResult> {
    return this.handle(message, 'kafka');
  }

  /**
   * Only a feed user may publish here, and only for its own source (RabbitMQ validated the user).
   * A refused event is not stored: it stays in the queue's dead-letter queue with the reason.
   */
  @EventPattern(IngressPatterns.RABBITMQ)
  fromRabbitmq(@Payload() message: InboundMessage): Promise<HandlingResult> {
    return this.handle(message, 'rabbitmq');
  }

  private async handle(message: InboundMessage, channel: IngressChannel): Promise<HandlingResult> {
    // RabbitMQ: only a feed user may publish here, and only for its own source (RabbitMQ validated
    // the user). Kafka's ACLs decide who may write the ingress topic; there is no per-message user.
    const sources = channel === 'rabbitmq' ? this.publishers.feedSourcesOf(message.publisher) : undefined;
    if (sources?.length === 0)
      return HandlingResult.reject(
        message.publisher
          ? `publisher ${message.publisher} may not publish feed events`
          : 'feed event without a validated publisher (user_id)',
      );
    try {
      const outcome = await receiveSpan(message, channel, () =>
        this.ingestion.ingest(message.body, channel, { allowedSources: sources }),
      );
      // A refused event is not stored: it stays in the queue's dead-letter queue with the reason.
      if (outcome.outcome === 'forbidden')
        return HandlingResult.reject(
          `publisher ${message.publisher} may not speak for the event's source (only ${sources?.join(', ')})`,
        );
      // A passing state (a withdrawal of this detention still going out): a later attempt normally
      // stores it; if it lasts, it is kept as a replayable dead letter like any input that cannot be.
      if (outcome.outcome === 'deferred') {
        if (message.attempt < this.config.INGRESS_CONTENT_FAILURE_ATTEMPTS)
          return HandlingResult.retry('withdrawal pending', 'transient');
        await this.ingestion.park(message.body, channel, message.attempt, 'WithdrawalPending');
      }
      return HandlingResult.done();
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      if (message.attempt < this.config.INGRESS_CONTENT_FAILURE_ATTEMPTS) throw error;
      try {
        // The error's class only: its message may quote the data it failed on.
        await this.ingestion.park(message.body, channel, message.attempt, errorName(error));
        return HandlingResult.done();
      } catch (parkError) {
        if (isInfrastructureFailure(parkError)) throw parkError;
        return HandlingResult.reject(
          `could not be stored after ${message.attempt} attempts (${errorName(error)}), nor kept as a dead letter (${errorName(parkError)})`,
        );
      }
    }
  }
}

/** The ingest hop's span, continuing the trace the feed sent in the message headers (if any). */
function receiveSpan<T>(message: InboundMessage, channel: string, work: () => Promise<T>): Promise<T> {
  return inSpan(
    `ingest ${channel}`,
    {
      kind: SpanKind.CONSUMER,
      parent: extractTraceContext(message.headers),
      attributes: { 'messaging.system': channel, 'messaging.destination.name': message.channel },
    },
    work,
  );
}
