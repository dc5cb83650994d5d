import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CloudEvent, ConnectorResultData, ConnectorResultType } from '@nazorg/contracts';
import { HandlingResult, InboundMessage } from '@nazorg/messaging';
import { CONNECTOR_RESULT_STORE, ConnectorResultStorePort } from '@nazorg/persistence';
import { DeliveryPlanner } from '@nazorg/routing';
import { BrokerPublishers } from '../broker/broker-publishers';
import { IngressPatterns } from '../broker/ingress-patterns';

const RESULT_TYPES = new Set<string>(Object.values(ConnectorResultType));

/** Connector results from `hub.results`, stored with the case (de-duplicated on source and id). */
@Controller()
export class ConnectorResultsController {
  constructor(
    @Inject(CONNECTOR_RESULT_STORE) private readonly results: ConnectorResultStorePort,
    private readonly planner: DeliveryPlanner,
    private readonly publishers: BrokerPublishers,
  ) {}

  @EventPattern(IngressPatterns.RESULTS)
  async onResult(@Payload() message: InboundMessage): Promise<HandlingResult> {
    let event: CloudEvent<ConnectorResultData>;
    try {
      event = JSON.parse(message.body.toString('utf8'));
    } catch {
      return HandlingResult.reject('result is not valid JSON');
    }
    const problem = checkResult(event);
    if (problem) return HandlingResult.reject(problem);
    // Only that recipient's connector may report on it (RabbitMQ validated the publisher).
    const refusal = this.publishers.resultRefusal(message.publisher, event.data.recipientId);
    if (refusal) return HandlingResult.reject(refusal);
    const outcome = await this.results.record(event, this.planner.pseudonym(event.data.detentionId));
    // Kept in the results' dead-letter queue, where operations see it; never in a case.
    if (outcome === 'unsolicited')
      return HandlingResult.reject('no delivery to this recipient about this detention');
    return HandlingResult.done();
  }
}

function checkResult(event: CloudEvent<ConnectorResultData>): string | undefined {
  if (typeof event !== 'object' || event === null) return 'result must be a CloudEvent object';
  if (typeof event.id !== 'string' || typeof event.source !== 'string') return 'result needs id and source';
  if (!RESULT_TYPES.has(event.type)) return 'unknown result type';
  const data = event.data;
  if (typeof data?.detentionId !== 'string' || typeof data.recipientId !== 'string') {
    return 'result data needs detentionId and recipientId';
  }
  if (data.outcome !== 'completed' && data.outcome !== 'person-unknown') return 'unknown result outcome';
  return undefined;
}
