import { InitialSchema1764040000000 } from './1764040000000-initial-schema';
import { DetentionErasure1764050000000 } from './1764050000000-detention-erasure';
import { SealedPersonalData1764060000000 } from './1764060000000-sealed-personal-data';
import { PrivacyProfileVersion1764070000000 } from './1764070000000-privacy-profile-version';
import { Retention1764080000000 } from './1764080000000-retention';
import { AftercareCase1764090000000 } from './1764090000000-aftercare-case';
import { CaseRefreshQueue1764100000000 } from './1764100000000-case-refresh-queue';
import { DeadLetterSubject1764115000000 } from './1764115000000-dead-letter-subject';
import { DeliveryNextAttempt1764116000000 } from './1764116000000-delivery-next-attempt';
import { SealedCaseConditions1764117000000 } from './1764117000000-sealed-case-conditions';
import { Monitoring1764118000000 } from './1764118000000-monitoring';
import { CaseRefreshFailures1764118500000 } from './1764118500000-case-refresh-failures';
import { DetentionRenotification1764119000000 } from './1764119000000-detention-renotification';
import { DeliveryTraceContext1764119500000 } from './1764119500000-delivery-trace-context';
import { DeliveryClaim1764121000000 } from './1764121000000-delivery-claim';
import { DeliveryParked1764124000000 } from './1764124000000-delivery-parked';
import { ConsentWithdrawn1764124100000 } from './1764124100000-consent-withdrawn';
import { PersonIndex1764124200000 } from './1764124200000-person-index';
import { ErasureRekeysDeliveries1764125000000 } from './1764125000000-erasure-rekeys-deliveries';
import { DetentionKeys1764126000000 } from './1764126000000-detention-keys';
import { ConsentWithdrawnIndex1764127000000 } from './1764127000000-consent-withdrawn-index';
import { DisclosureDeliveryIndex1764128000000 } from './1764128000000-disclosure-delivery-index';
import { ClaimDueFunction1764129000000 } from './1764129000000-claim-due-function';

/** In order. Never edit a migration that has landed: add a new one. */
export const MIGRATIONS = [
  InitialSchema1764040000000,
  DetentionErasure1764050000000,
  SealedPersonalData1764060000000,
  PrivacyProfileVersion1764070000000,
  Retention1764080000000,
  AftercareCase1764090000000,
  CaseRefreshQueue1764100000000,
  DeadLetterSubject1764115000000,
  DeliveryNextAttempt1764116000000,
  SealedCaseConditions1764117000000,
  Monitoring1764118000000,
  CaseRefreshFailures1764118500000,
  DetentionRenotification1764119000000,
  DeliveryTraceContext1764119500000,
  DeliveryClaim1764121000000,
  DeliveryParked1764124000000,
  ConsentWithdrawn1764124100000,
  PersonIndex1764124200000,
  ErasureRekeysDeliveries1764125000000,
  DetentionKeys1764126000000,
  ConsentWithdrawnIndex1764127000000,
  DisclosureDeliveryIndex1764128000000,
  ClaimDueFunction1764129000000,
];
