import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import {
  asRecord,
  bsnOf,
  completed,
  failureOutcome,
  NOT_APPLICABLE,
  unexpectedAnswer,
} from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/**
 * Only what the registration check needs. Haal Centraal makes `fields` mandatory and answers only
 * those, so asking little is how the hub keeps to data minimisation when it pulls.
 */
export const BRP_FIELDS: readonly string[] = [
  'burgerservicenummer',
  'verblijfplaats',
  'gemeenteVanInschrijving',
];
/** gemeenteVanInschrijving of people deregistered from every municipality (the RNI). */
const RNI_CODE = '1999';

/**
 * BRP (population register, Haal Centraal BRP Personen API v2): is the detainee registered in a
 * municipality, which one, and with an address? Asked at the start of a detention and again at release.
 */
@Injectable()
export class BrpConnector implements RecipientConnector {
  readonly kind = 'brp' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const started = delivery.type === DetentionEventType.DETENTION_STARTED;
    if (!started && delivery.type !== DetentionEventType.DETENTION_RELEASED) return NOT_APPLICABLE;
    const bsn = bsnOf(delivery);
    // A start always names the person. A release does not under CONTRACT v1, so there is nobody to
    // look up until the connector keeps its own detention-to-BSN reference.
    if (!bsn) return started ? { status: 'failed', reason: 'delivery carries no valid BSN' } : NOT_APPLICABLE;
    const answer = await this.http.postJson('BRP', `${this.config.BRP_API_URL}/personen`, {
      type: 'RaadpleegMetBurgerservicenummer',
      burgerservicenummer: [bsn],
      fields: BRP_FIELDS,
    });
    if (answer.kind !== 'answer') return failureOutcome(answer);
    const personen = asRecord(answer.body)?.personen;
    if (!Array.isArray(personen)) return unexpectedAnswer('BRP', 'personen');
    if (personen.length === 0) {
      return completed(ConnectorResultType.BRP_REGISTRATION_CHECKED, 'person-unknown', {
        registered: false,
        municipality: null,
        hasAddress: false,
      });
    }
    const person = personen.map(asRecord).find((p) => p?.burgerservicenummer === bsn);
    if (!person) return unexpectedAnswer('BRP', 'the person asked for');
    const municipality = asRecord(person.gemeenteVanInschrijving)?.code;
    return completed(ConnectorResultType.BRP_REGISTRATION_CHECKED, 'completed', {
      registered: typeof municipality === 'string' && municipality !== RNI_CODE,
      municipality: typeof municipality === 'string' ? municipality : null,
      hasAddress: asRecord(person.verblijfplaats)?.type === 'Adres',
    });
  }
}
