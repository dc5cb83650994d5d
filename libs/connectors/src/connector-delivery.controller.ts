import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CloudEvent, Channels, HUB_SOURCE, stableUuid } from '@nazorg/contracts';
import { AMQP_PUBLISHER, AmqpPublisherPort, HandlingResult, InboundMessage } from '@nazorg/messaging';
import { ConnectorFactory } from './connector.factory';
import { CONNECTOR_KIND, ConnectorKind } from './recipient-connector.port';

export const RECIPIENT_DELIVERY_PATTERN = 'recipient.delivery';

/**
 * Takes a delivery from a `recipient.<id>` queue, lets the connector of this process's kind work,
 * publishes its result to `hub.results`, and tells the broker adapter what to do with the message.
 */
@Controller()
export class ConnectorDeliveryController {
  private readonly logger = new Logger(ConnectorDeliveryController.name);

  constructor(
    private readonly factory: ConnectorFactory,
    @Inject(CONNECTOR_KIND) private readonly kind: ConnectorKind,
    @Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort,
  ) {}

  @EventPattern(RECIPIENT_DELIVERY_PATTERN)
  async onDelivery(@Payload() message: InboundMessage): Promise<HandlingResult> {
    let delivery: CloudEvent;
    try {
      delivery = JSON.parse(message.body.toString('utf8'));
    } catch {
      return HandlingResult.reject('delivery is not valid JSON');
    }
    const outcome = await this.factory.forKind(this.kind).handle(delivery);
    switch (outcome.status) {
      case 'not-applicable':
        return HandlingResult.done();
      case 'retry':
        return HandlingResult.retry(outcome.reason);
      case 'failed':
        return HandlingResult.reject(outcome.reason);
      case 'completed': {
        const result: CloudEvent = {
          specversion: '1.0',
          // Stable under redelivery: the hub stores a result once per (source, id).
          id: stableUuid('result', delivery.id, outcome.result.type),
          source: `${HUB_SOURCE}/connectors/${this.kind}`,
          type: outcome.result.type,
          time: new Date().toISOString(),
          subject: delivery.subject,
          datacontenttype: 'application/json',
          data: {
            detentionId: delivery.subject,
            recipientId: delivery.recipient ?? message.key ?? '',
            ...outcome.result.data,
          },
          correlationid: delivery.correlationid,
          causationid: delivery.id,
          tenant: delivery.tenant,
          recipient: delivery.recipient,
        };
        await this.publisher.publish({
          exchange: Channels.RESULTS_EXCHANGE,
          routingKey: result.type,
          body: JSON.stringify(result),
          messageId: result.id,
        });
        this.logger.debug(`${this.kind}: ${result.type} (${outcome.result.data.outcome})`);
        return HandlingResult.done();
      }
    }
  }
}
