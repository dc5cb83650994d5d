import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nazorg/config';
import { MessagingModule } from '@nazorg/messaging';
import { METRICS, MetricsPort, ObservabilityModule } from '@nazorg/observability';
import {
  DPAN_ANSWERS_FILE,
  DpanAnswerRecorder,
  FEED_HUB_URL,
  FEED_SINK,
  FeedSink,
  HttpFeedSink,
  KafkaFeedSink,
  ObservedFeedSink,
  RabbitmqFeedSink,
} from '@nazorg/simulator';
import { FeedSinkName } from './feed-options';
import { FeedRunner } from './feed.runner';

const SINKS: Record<FeedSinkName, Type<FeedSink>> = {
  kafka: KafkaFeedSink,
  rabbitmq: RabbitmqFeedSink,
  http: HttpFeedSink,
};

/**
 * The mocked INJUS/DPAN feed: one sink, chosen on the command line. The broker clients connect on
 * first use, so a feed that posts over HTTP never dials Kafka or RabbitMQ.
 */
@Module({})
export class FeedModule {
  static forRoot(options: { sink: FeedSinkName; hubUrl?: string }): DynamicModule {
    return {
      module: FeedModule,
      imports: [
        ConfigModule.forRoot(),
        MessagingModule.forRoot(),
        ObservabilityModule.forRoot({ app: 'feed', metricsPortKey: 'FEED_METRICS_PORT' }),
      ],
      providers: [
        { provide: FEED_HUB_URL, useValue: options.hubUrl ?? null },
        SINKS[options.sink],
        {
          provide: FEED_SINK,
          inject: [SINKS[options.sink], METRICS],
          useFactory: (sink: FeedSink, metrics: MetricsPort) =>
            new ObservedFeedSink(sink, options.sink, metrics),
        },
        {
          provide: DPAN_ANSWERS_FILE,
          useValue: process.env.FEED_DPAN_ANSWERS_FILE ?? '.data/feed/dpan-answers.jsonl',
        },
        DpanAnswerRecorder,
        FeedRunner,
      ],
    };
  }
}
