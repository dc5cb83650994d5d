import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HandlingResult, InboundMessage } from '@nazorg/messaging';
import { extractTraceContext, inSpan, SpanKind } from '@nazorg/observability';
import { IngressPatterns } from '../broker/ingress-patterns';
import { ResultIngestionService } from './result-ingestion.service';

/**
 * Connector results from `hub.results`. A valid result is stored with its case (once per source and
 * id); an invalid one is kept as a dead letter (channel `results`) and acknowledged: its content
 * will never get better by retrying. A database failure throws and the adapter retries.
 */
@Controller()
export class ConnectorResultsController {
  constructor(private readonly results: ResultIngestionService) {}

  @EventPattern(IngressPatterns.RESULTS)
  async onResult(@Payload() message: InboundMessage): Promise<HandlingResult> {
    const recorded = await inSpan(
      'result received',
      { kind: SpanKind.CONSUMER, parent: extractTraceContext(message.headers) },
      // Only that recipient's connector may report on it: RabbitMQ validated the publisher.
      () => this.results.ingest(message.body, { publisher: message.publisher ?? null }),
    );
    // Kept in the results' dead-letter queue, where operations see it; never in a case.
    if (recorded.outcome === 'unsolicited')
      return HandlingResult.reject('no delivery to this recipient about this detention');
    return HandlingResult.done();
  }
}
