import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nazorg/config';
import { MessagingModule } from '@nazorg/messaging';
import { FEED_SINK, HttpFeedSink, KafkaFeedSink, RabbitmqFeedSink } from '@nazorg/simulator';

export type FeedSinkName = 'kafka' | 'rabbitmq' | 'http';

const SINKS = { kafka: KafkaFeedSink, rabbitmq: RabbitmqFeedSink, http: HttpFeedSink };

@Module({})
export class FeedModule {
  static withSink(sink: FeedSinkName): DynamicModule {
    return {
      module: FeedModule,
      imports: [ConfigModule.forRoot(), MessagingModule.forRoot()],
      providers: [{ provide: FEED_SINK, useClass: SINKS[sink] }],
      exports: [FEED_SINK],
    };
  }
}
