import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { bsnOfStart, completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/** Only what the registration check needs (Haal Centraal: only the fields asked for come back). */
export const BRP_FIELDS = ['burgerservicenummer', 'verblijfplaats', 'gemeenteVanInschrijving'];

/** BRP (population register): is the detainee registered, where, and with an address? */
@Injectable()
export class BrpConnector implements RecipientConnector {
  readonly kind = 'brp' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type !== DetentionEventType.DETENTION_STARTED) return NOT_APPLICABLE;
    const bsn = bsnOfStart(delivery);
    if (!bsn) return { status: 'failed', reason: 'delivery carries no BSN' };
    const answer = await this.http.post(`${this.config.BRP_API_URL}/personen`, {
      type: 'RaadpleegMetBurgerservicenummer',
      burgerservicenummer: [bsn],
      fields: BRP_FIELDS,
    });
    if (answer.kind !== 'answer') return failureOutcome(answer);
    const [person] = (answer.body.personen as Record<string, unknown>[] | undefined) ?? [];
    if (!person)
      return completed(ConnectorResultType.BRP_REGISTRATION_CHECKED, 'person-unknown', { registered: false });
    const gemeente = person.gemeenteVanInschrijving as { code?: string } | undefined;
    const verblijfplaats = person.verblijfplaats as { type?: string } | undefined;
    return completed(ConnectorResultType.BRP_REGISTRATION_CHECKED, 'completed', {
      registered: gemeente?.code !== undefined && gemeente.code !== '1999',
      municipality: gemeente?.code ?? null,
      hasAddress: verblijfplaats?.type === 'Adres',
    });
  }
}
