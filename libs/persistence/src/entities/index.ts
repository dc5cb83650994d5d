import { ConnectorResultEntity } from './connector-result.entity';
import { DeadLetterEntity } from './dead-letter.entity';
import { DeliveryEntity } from './delivery.entity';
import { DetentionEntity } from './detention.entity';
import { DisclosureRecordEntity } from './disclosure-record.entity';
import { InboundEventEntity } from './inbound-event.entity';

export {
  ConnectorResultEntity,
  DeadLetterEntity,
  DeliveryEntity,
  DetentionEntity,
  DisclosureRecordEntity,
  InboundEventEntity,
};

export const ENTITIES = [
  InboundEventEntity,
  DetentionEntity,
  DeliveryEntity,
  DisclosureRecordEntity,
  DeadLetterEntity,
  ConnectorResultEntity,
];
