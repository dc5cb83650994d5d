import { Inject, Injectable } from '@nestjs/common';
import { Channels, CLOUDEVENTS_CONTENT_TYPE, CloudEvent } from '@nazorg/contracts';
import { EVENT_LOG, EventLogPort } from '@nazorg/messaging';
import { FeedSink } from './feed-sink.port';
import { injectTraceContext } from '@nazorg/observability';

/** The hub creates the ingress topic with this many partitions; the feed asks for the same. */
const INGRESS_PARTITIONS = 6;

/**
 * Kafka (CONTRACT section 2, the default way in): topic `injus.detention-events.v1`, key =
 * `data.detentionId` so a detention's events share a partition and stay in order, value = the
 * CloudEvent in structured mode.
 */
@Injectable()
export class KafkaFeedSink implements FeedSink {
  private topicReady?: Promise<void>;

  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLogPort) {}

  async send(event: CloudEvent<object>): Promise<void> {
    await this.ensureTopic();
    const detentionId = (event.data as { detentionId?: unknown }).detentionId;
    await this.eventLog.publish(Channels.KAFKA_INGRESS_TOPIC, [
      {
        key: typeof detentionId === 'string' ? detentionId : event.subject,
        value: JSON.stringify(event),
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ...injectTraceContext() },
      },
    ]);
  }

  /**
   * A feed started before the hub would otherwise publish into a topic the broker auto-creates
   * with its default partition count, which the hub would then find and keep.
   */
  private ensureTopic(): Promise<void> {
    this.topicReady ??= this.eventLog
      .ensureTopics([{ topic: Channels.KAFKA_INGRESS_TOPIC, partitions: INGRESS_PARTITIONS }])
      .catch((error: unknown) => {
        this.topicReady = undefined;
        throw error;
      });
    return this.topicReady;
  }
}
