import { Inject, Injectable } from '@nestjs/common';
import { TenantsFile } from '@nazorg/config';
import { Channels } from '@nazorg/contracts';
import { AmqpDeadLetters, DeadLetterDecision, HubQueues } from '@nazorg/messaging';
import { DETENTION_ERASURE, DetentionErasurePort } from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { Message } from 'amqplib';

/**
 * Deliveries the broker adapters gave up on (a connector's external system kept failing, or refused
 * the request) wait in `dead.<queue>`. Operations see how many per queue and can send them back.
 * They hold personal data, so a detention's erasure reaches them too: a message about an erased
 * detention is never sent back, and the hub drops such messages after each erasure and at
 * housekeeping (`dropErased`), from the hub's own ingress and results dead letters too (ADR 0024).
 */
@Injectable()
export class BrokerDeadLettersService {
  private readonly queues: { queue: string; tenantId: string | null }[];

  constructor(
    private readonly deadLetters: AmqpDeadLetters,
    @Inject(DETENTION_ERASURE) private readonly erasure: DetentionErasurePort,
    tenants: TenantsFile,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {
    this.queues = [
      ...tenants.tenants.flatMap((t) =>
        t.recipients.map((r) => ({
          queue: Channels.recipientQueue(r.id),
          tenantId: t.id as string | null,
        })),
      ),
      ...tenants.sharedRecipients.map((r) => ({
        queue: Channels.recipientQueue(r.id),
        tenantId: null,
      })),
      // Feed events and connector results about an erased detention are stored inert on replay.
      { queue: HubQueues.INGRESS, tenantId: null },
      { queue: HubQueues.RESULTS, tenantId: null },
    ];
  }

  /** Messages waiting per dead-letter queue (non-empty ones only); a coordinator sees its tenant's. */
  async counts(tenantId: string | null): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { queue, tenantId: owner } of this.queues) {
      if (tenantId !== null && owner !== tenantId) continue;
      const count = await this.deadLetters.count(queue);
      if (count > 0) out[queue] = count;
    }
    return out;
  }

  isKnown(queue: string): boolean {
    return this.queues.some((q) => q.queue === queue);
  }

  /**
   * Sends every message of `dead.<queue>` back to `<queue>` with a fresh attempt count, except
   * those about an erased detention, which are dropped.
   */
  async replay(queue: string): Promise<{ moved: number; droppedErased: number }> {
    const pass = await this.deadLetters.pass(queue, (msg) => this.decide(msg, 'requeue'));
    return { moved: pass.requeued, droppedErased: pass.dropped };
  }

  /**
   * Drops the messages about erased detentions from every dead-letter queue the hub declares: each
   * recipient's, and the hub's own ingress and results queues' (whole feed events and results).
   */
  async dropErased(): Promise<number> {
    let dropped = 0;
    for (const { queue } of this.queues) {
      dropped += (await this.deadLetters.pass(queue, (msg) => this.decide(msg, 'keep'))).dropped;
    }
    return dropped;
  }

  private async decide(msg: Message, otherwise: DeadLetterDecision): Promise<DeadLetterDecision> {
    const subject = subjectOf(msg);
    if (subject === undefined) return otherwise;
    // A delivery names the detention (erased under the current or a previous key, ADR 0023); one
    // to `ops` already names its keyed hash.
    const candidates = [...this.pseudonymizer.candidates(subject), subject];
    const erased = await this.erasure.erasedAmong(candidates);
    return erased.size > 0 ? 'drop' : otherwise;
  }
}

function subjectOf(msg: Message): string | undefined {
  try {
    const subject = (JSON.parse(msg.content.toString('utf8')) as { subject?: unknown }).subject;
    return typeof subject === 'string' ? subject : undefined;
  } catch {
    return undefined;
  }
}
