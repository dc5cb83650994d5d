/**
 * The `@EventPattern` a connector process's delivery handler listens on: the broker adapter maps
 * every `recipient.<id>` queue of the process's kind to it (connector.bootstrap.ts).
 */
export const RECIPIENT_DELIVERY_PATTERN = 'recipient.delivery';
