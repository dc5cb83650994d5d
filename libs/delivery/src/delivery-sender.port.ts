import { PendingDelivery } from '@nazorg/persistence';

/** Sends outbox rows over one kind of channel; reports per row, never throws for one bad row. */
export const DELIVERY_SENDERS = Symbol('DELIVERY_SENDERS');

export interface SendReport {
  sent: string[];
  /**
   * `refused`: not sent because trying again cannot help until the recipient's configuration
   * changes (a webhook redirect, an insecure or internal URL); the relay parks it.
   */
  failed: { id: string; error: string; refused?: boolean }[];
}

export interface DeliverySender {
  readonly channelType: string;
  send(batch: PendingDelivery[]): Promise<SendReport>;
}
