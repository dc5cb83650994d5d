import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Channels, CloudEvent, ConnectorResultData, HUB_SOURCE, stableUuid } from '@nazorg/contracts';
import { AMQP_PUBLISHER, AmqpPublisherPort, HandlingResult, InboundMessage } from '@nazorg/messaging';
import {
  extractTraceContext,
  inSpan,
  injectTraceContext,
  METRICS,
  MetricsPort,
  SpanKind,
} from '@nazorg/observability';
import { ConnectorFactory } from './connector.factory';
import { asRecord } from './connector-outcomes';
import { RECIPIENT_DELIVERY_PATTERN } from './delivery-pattern';
import {
  CONNECTOR_KIND,
  ConnectorKind,
  ConnectorOutcome,
  RecipientConnector,
} from './recipient-connector.port';

/**
 * Takes a delivery from a `recipient.<id>` queue, lets the connector of this process's kind work,
 * publishes its result to `hub.results`, and tells the broker adapter what to do with the message.
 * It never acks or nacks itself and never throws for an expected failure: the returned
 * HandlingResult decides (docs/adr/0002-delivery-decided-in-adapters.md).
 */
@Controller()
export class ConnectorDeliveryController {
  private readonly logger = new Logger(ConnectorDeliveryController.name);
  private readonly connector: RecipientConnector;

  constructor(
    factory: ConnectorFactory,
    @Inject(CONNECTOR_KIND) private readonly kind: ConnectorKind,
    @Inject(AMQP_PUBLISHER) private readonly publisher: AmqpPublisherPort,
    @Inject(METRICS) private readonly metrics: MetricsPort,
  ) {
    // Resolved once, so a process started for a kind without a connector fails at start-up.
    this.connector = factory.forKind(kind);
  }

  @EventPattern(RECIPIENT_DELIVERY_PATTERN)
  async onDelivery(@Payload() message: InboundMessage): Promise<HandlingResult> {
    // The routing key is the recipient id (one of the tenant file's): a bounded label.
    const recipientId = message.key ?? 'unknown';
    const result = await inSpan(
      `connector ${this.kind}`,
      {
        kind: SpanKind.CONSUMER,
        parent: extractTraceContext(message.headers),
        attributes: { 'nazorg.recipient_id': recipientId, 'nazorg.attempt': message.attempt },
      },
      () => this.handleDelivery(message),
    );
    const outcome = result.kind === 'done' ? 'done' : result.kind === 'retry' ? 'retry' : 'rejected';
    this.metrics.connectorHandled(this.kind, recipientId, outcome);
    if (result.kind === 'reject') this.metrics.deliveryDeadLettered(recipientId);
    return result;
  }

  private async handleDelivery(message: InboundMessage): Promise<HandlingResult> {
    const delivery = parseDelivery(message.body);
    if (typeof delivery === 'string') return HandlingResult.reject(delivery);
    let outcome: ConnectorOutcome;
    try {
      outcome = await this.connector.handle(delivery);
    } catch (error) {
      // Not an expected failure: a bug this delivery triggers (content, dead-lettered after the
      // adapter's attempts) or the broker away (retried); only the error class is named.
      return HandlingResult.failed(error, `${this.kind} connector failed`);
    }
    switch (outcome.status) {
      case 'not-applicable':
        return HandlingResult.done();
      case 'retry':
        return HandlingResult.retry(outcome.reason);
      case 'failed':
        return HandlingResult.reject(outcome.reason);
      case 'completed':
        return this.publishResult(delivery, message, outcome.result);
    }
  }

  private async publishResult(
    delivery: CloudEvent,
    message: InboundMessage,
    result: Extract<ConnectorOutcome, { status: 'completed' }>['result'],
  ): Promise<HandlingResult> {
    const data: ConnectorResultData = {
      detentionId: delivery.subject,
      // Deliveries carry their recipient; the routing key (= recipient id) covers one that does not.
      recipientId: typeof delivery.recipient === 'string' ? delivery.recipient : (message.key ?? ''),
      ...result.data,
    };
    const event: CloudEvent<ConnectorResultData> = {
      specversion: '1.0',
      // The same for a redelivery of this delivery, so the hub stores the result once per (source, id).
      id: stableUuid('connector-result', delivery.id, result.type),
      source: `${HUB_SOURCE}/connectors/${this.kind}`,
      type: result.type,
      time: new Date().toISOString(),
      subject: delivery.subject,
      datacontenttype: 'application/json',
      data,
      correlationid: delivery.correlationid,
      causationid: delivery.id,
      tenant: delivery.tenant,
      recipient: delivery.recipient,
    };
    try {
      await this.publisher.publish({
        exchange: Channels.RESULTS_EXCHANGE,
        routingKey: event.type,
        body: JSON.stringify(event),
        messageId: event.id,
        contentType: 'application/cloudevents+json',
        headers: injectTraceContext(),
      });
    } catch (error) {
      // The external system already acted; the redelivery asks it again and publishes the same id.
      return HandlingResult.failed(error, 'result not published');
    }
    this.logger.debug(`${this.kind}: ${event.type} (${data.outcome})`);
    return HandlingResult.done();
  }
}

/** The delivery, or why it can never be handled. Checks only what this controller itself relies on. */
function parseDelivery(body: Buffer): CloudEvent | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'delivery is not valid JSON';
  }
  const event = asRecord(parsed);
  if (!event || !asRecord(event.data)) return 'delivery is not a CloudEvent with data';
  for (const attribute of ['id', 'type', 'subject'] as const) {
    if (typeof event[attribute] !== 'string' || event[attribute] === '') {
      return `delivery has no ${attribute}`;
    }
  }
  return event as unknown as CloudEvent;
}
