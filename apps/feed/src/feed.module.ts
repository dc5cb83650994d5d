import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@nazorg/config';
import { AmqpConfirmPublisher, AmqpConnection, MessagingModule } from '@nazorg/messaging';
import { METRICS, MetricsPort, ObservabilityModule } from '@nazorg/observability';
import {
  DPAN_ANSWERS_FILE,
  DpanAnswerRecorder,
  FEED_DPAN_PUBLISHER,
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

const DPAN_CONNECTION = Symbol('DPAN_CONNECTION');

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
        MessagingModule.forRoot({ identity: 'feed-injus' }),
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
        // The feed plays two sources; DPAN's events go out with DPAN's own RabbitMQ login.
        {
          provide: DPAN_CONNECTION,
          useFactory: (c: AppConfig) => new AmqpConnection(c, 'feed-dpan'),
          inject: [AppConfig],
        },
        {
          provide: FEED_DPAN_PUBLISHER,
          useFactory: (connection: AmqpConnection) => new AmqpConfirmPublisher(connection),
          inject: [DPAN_CONNECTION],
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
