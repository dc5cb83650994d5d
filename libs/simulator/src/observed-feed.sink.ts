import { CloudEvent } from '@nazorg/contracts';
import { inSpan, MetricsPort, SpanKind } from '@nazorg/observability';
import { FeedEventRefusedError, FeedSink } from './feed-sink.port';

/**
 * Any sink, counted (`nazorg_feed_events_sent_total`) and traced: the `feed send` span is the root
 * of the event's trace, which the sinks pass on in their message or HTTP headers.
 */
export class ObservedFeedSink implements FeedSink {
  constructor(
    private readonly inner: FeedSink,
    private readonly sinkName: string,
    private readonly metrics: MetricsPort,
  ) {}

  async send(event: CloudEvent<object>): Promise<void> {
    try {
      await inSpan(
        'feed send',
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'nazorg.sink': this.sinkName, 'nazorg.event_type': event.type },
        },
        () => this.inner.send(event),
      );
      this.metrics.feedEventSent(this.sinkName, 'sent');
    } catch (error) {
      this.metrics.feedEventSent(
        this.sinkName,
        error instanceof FeedEventRefusedError ? 'refused' : 'failed',
      );
      throw error;
    }
  }
}
