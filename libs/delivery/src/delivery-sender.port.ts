import { PendingDelivery } from '@nazorg/persistence';

/** Sends outbox rows over one kind of channel; reports per row, never throws for one bad row. */
export const DELIVERY_SENDERS = Symbol('DELIVERY_SENDERS');

export interface SendReport {
  sent: string[];
  failed: { id: string; error: string }[];
}

export interface DeliverySender {
  readonly channelType: string;
  send(batch: PendingDelivery[]): Promise<SendReport>;
}
