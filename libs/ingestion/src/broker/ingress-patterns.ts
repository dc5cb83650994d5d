/** The `@EventPattern`s the broker adapters dispatch to (internal wiring, not part of the contract). */
export const IngressPatterns = {
  KAFKA: 'ingress.kafka',
  RABBITMQ: 'ingress.rabbitmq',
  RESULTS: 'ingress.connector-results',
} as const;
