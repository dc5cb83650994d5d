import { Injectable } from '@nestjs/common';
import { ConfirmChannel, Message } from 'amqplib';
import { AmqpConnection } from './amqp-connection';
import { HubQueues } from './amqp-topology';
import { queueDepth } from './queue-depth';
import { ATTEMPT_HEADER, ATTEMPT_MAC_HEADER } from './attempt-counter';
import { REASON_HEADER } from './amqp.server';
import { closeChannel } from './close-channel';

/** What becomes of one dead-lettered message: another round of attempts, left dead, or dropped. */
export type DeadLetterDecision = 'requeue' | 'keep' | 'drop';

export interface DeadLetterPass {
  requeued: number;
  kept: number;
  dropped: number;
}

/**
 * The `dead.<queue>` queues the AMQP adapter fills when it gives up on a message. RabbitMQ cannot
 * pick a message out of a queue, so a pass takes each message that was there when it began, once,
 * and settles it by the caller's decision: requeued to `<queue>` with a fresh attempt count, put
 * back at the end of `dead.<queue>` unchanged, or dropped. Each move is publisher-confirmed before
 * the original is acked, so a crash halfway duplicates at worst, never loses.
 */
@Injectable()
export class AmqpDeadLetters {
  constructor(private readonly amqp: AmqpConnection) {}

  /** Messages now in `dead.<queue>`; 0 for a queue not declared yet. */
  count(queue: string): Promise<number> {
    return queueDepth(this.amqp, HubQueues.dead(queue));
  }

  async pass(
    queue: string,
    decide: (message: Message) => Promise<DeadLetterDecision>,
  ): Promise<DeadLetterPass> {
    const outcome: DeadLetterPass = { requeued: 0, kept: 0, dropped: 0 };
    const dead = HubQueues.dead(queue);
    const waiting = await this.count(queue);
    if (waiting === 0) return outcome;
    const channel = await (await this.amqp.currentModel()).createConfirmChannel();
    try {
      for (let i = 0; i < waiting; i++) {
        const msg = await channel.get(dead, { noAck: false });
        if (!msg) break;
        const decision = await decide(msg);
        if (decision === 'requeue') await send(channel, queue, msg, true, this.amqp.user);
        if (decision === 'keep') await send(channel, dead, msg, false, this.amqp.user);
        channel.ack(msg);
        outcome[decision === 'requeue' ? 'requeued' : decision === 'keep' ? 'kept' : 'dropped']++;
      }
    } finally {
      await closeChannel(channel);
    }
    return outcome;
  }
}

/** Publishes a copy of `msg` to `queue` and waits for the broker's confirm. */
function send(
  channel: ConfirmChannel,
  queue: string,
  msg: Message,
  freshAttempts: boolean,
  userId: string,
): Promise<void> {
  const headers = { ...msg.properties.headers };
  if (freshAttempts) {
    delete headers[ATTEMPT_HEADER];
    delete headers[ATTEMPT_MAC_HEADER];
    delete headers[REASON_HEADER];
    delete headers['x-death'];
  }
  return new Promise<void>((resolve, reject) =>
    channel.sendToQueue(
      queue,
      msg.content,
      {
        persistent: true,
        contentType: msg.properties.contentType,
        messageId: msg.properties.messageId,
        // Ours; the original publisher stays in PUBLISHER_HEADER (set when it was dead-lettered).
        userId,
        headers,
      },
      (error) => (error ? reject(error) : resolve()),
    ),
  );
}
