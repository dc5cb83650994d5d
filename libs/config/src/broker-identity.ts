/**
 * Who a process is towards the brokers. Each app connects to RabbitMQ with its own user and
 * least-privilege permissions (scripts/infra/rabbitmq.sh, docs/adr/0010): the hub owns the topology
 * and publishes deliveries, the feed publishes feed events (one user per source), each connector reads
 * its own recipient queues and publishes results, ops moves dead letters back.
 */
export const BROKER_IDENTITIES = [
  'hub',
  'ops',
  'feed-injus',
  'feed-dpan',
  'connector-brp',
  'connector-income',
  'connector-schuldhulp',
  'connector-zorg',
] as const;
export type BrokerIdentity = (typeof BROKER_IDENTITIES)[number];

/** `connector-brp` → `CONNECTOR_BRP`, the suffix of its AMQP_USER_/AMQP_PASSWORD_ keys. */
export function identityKey(identity: BrokerIdentity): string {
  return identity.toUpperCase().replace(/-/g, '_');
}

/** The local demo login of an identity (what scripts/infra/rabbitmq.sh creates); production refuses it. */
export function demoAmqpLogin(identity: BrokerIdentity): { user: string; password: string } {
  return { user: `nazorg-${identity}`, password: `demo-amqp-${identity}` };
}
