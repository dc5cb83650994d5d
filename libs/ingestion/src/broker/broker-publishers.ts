import { Injectable } from '@nestjs/common';
import { AppConfig, BrokerIdentity } from '@nazorg/config';
import { FeedSource } from '@nazorg/contracts';
import { TenantDirectory } from '@nazorg/routing';

const FEED_IDENTITIES: Record<FeedSource, BrokerIdentity> = {
  [FeedSource.INJUS]: 'feed-injus',
  [FeedSource.DPAN]: 'feed-dpan',
};
const CONNECTOR_KINDS = new Set(['brp', 'income', 'schuldhulp', 'zorg']);

/**
 * Who may publish what on RabbitMQ (docs/adr/0010): a feed event only from the user of its source,
 * a connector result only from the connector user of the recipient's kind. The user is the one
 * RabbitMQ validated (`user_id`); a message without one is refused.
 */
@Injectable()
export class BrokerPublishers {
  constructor(
    private readonly config: AppConfig,
    private readonly directory: TenantDirectory,
  ) {}

  /** The feed sources `user` may speak for (both when one user serves the two). */
  feedSourcesOf(user: string | undefined): FeedSource[] {
    if (!user) return [];
    return (Object.entries(FEED_IDENTITIES) as [FeedSource, BrokerIdentity][])
      .filter(([, identity]) => this.config.amqpUser(identity) === user)
      .map(([source]) => source);
  }

  /** Why `user` may not publish a result for `recipientId`, or undefined when it may. */
  resultRefusal(user: string | undefined, recipientId: string): string | undefined {
    if (!user) return 'result without a validated publisher (user_id)';
    const kind = this.directory.recipient(recipientId)?.recipient.kind;
    if (!kind || !CONNECTOR_KINDS.has(kind)) return 'result for a recipient no connector serves';
    const expected = this.config.amqpUser(`connector-${kind}` as BrokerIdentity);
    return user === expected ? undefined : `publisher ${user} is not the ${kind} connector`;
  }
}
