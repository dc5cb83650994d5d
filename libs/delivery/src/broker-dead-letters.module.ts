import { Module } from '@nestjs/common';
import { AmqpDeadLetters } from '@nazorg/messaging';
import { BrokerDeadLettersService } from './broker-dead-letters.service';

/** The broker's dead letters of recipient queues, for the operations API and the hub's housekeeping. */
@Module({ providers: [AmqpDeadLetters, BrokerDeadLettersService], exports: [BrokerDeadLettersService] })
export class BrokerDeadLettersModule {}
