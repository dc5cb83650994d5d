import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType, dutchCalendarDate } from '@nazorg/contracts';
import {
  asRecord,
  bsnOf,
  completed,
  failureOutcome,
  NOT_APPLICABLE,
  unexpectedAnswer,
} from './connector-outcomes';
import { deregistrationRisk, expectedDetentionDays } from './detention-length';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/**
 * Only what the registration check needs. Haal Centraal makes `fields` mandatory and answers only
 * those, so asking little is how the hub keeps to data minimisation when it pulls: the kind of
 * residence and its function (home or postal address), never the address itself, and of the travel
 * documents only their validity (`reisdocumenten` is the mock's extension, see external-mocks).
 */
export const BRP_FIELDS: readonly string[] = [
  'burgerservicenummer',
  'gemeenteVanInschrijving',
  'verblijfplaats.type',
  'verblijfplaats.functieAdres',
  'reisdocumenten.datumEindeGeldigheid',
];
/** gemeenteVanInschrijving of people deregistered from every municipality (the RNI). */
const RNI_CODE = '1999';

/** What the burgerzaken back office says at release, in the result's words. */
const RELEASE_ADDRESS: Record<string, string> = {
  'ingeschreven-op-adres': 'registered-at-address',
  'verhuisaangifte-nodig': 'change-of-address-needed',
  'briefadres-aangevraagd': 'postal-address-requested',
};

/**
 * BRP (population register). At the start of a detention: is the detainee registered, in the
 * municipality of origin DJI gives or elsewhere, with a home or a postal address, and with a valid ID
 * document (Haal Centraal BRP Personen API v2)? Is there a risk of deregistration, because the
 * expected absence exceeds two thirds of six months? The detention is then reported to the
 * burgerzaken back office, keyed by detention id. When the expected release is set or moves, the
 * risk is evaluated again from the start the back office keeps. At release,
 * when the feed no longer names the person, the back office is asked by that id whether the person
 * is registered at the address after release, or, without one, to arrange a postal address (briefadres).
 */
@Injectable()
export class BrpConnector implements RecipientConnector {
  readonly kind = 'brp' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type === DetentionEventType.DETENTION_STARTED) return this.started(delivery);
    if (delivery.type === DetentionEventType.RELEASE_SCHEDULED) return this.rescheduled(delivery);
    if (delivery.type === DetentionEventType.DETENTION_RELEASED) return this.released(delivery);
    return Promise.resolve(NOT_APPLICABLE);
  }

  private async started(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const bsn = bsnOf(delivery);
    if (!bsn) return { status: 'failed', reason: 'delivery carries no valid BSN' };
    const data = asRecord(delivery.data);
    const answer = await this.http.postJson('BRP', `${this.config.BRP_API_URL}/personen`, {
      type: 'RaadpleegMetBurgerservicenummer',
      burgerservicenummer: [bsn],
      fields: BRP_FIELDS,
    });
    if (answer.kind !== 'answer') return failureOutcome(answer);
    const personen = asRecord(answer.body)?.personen;
    if (!Array.isArray(personen)) return unexpectedAnswer('BRP', 'personen');
    const absenceDays = expectedDetentionDays(data?.startedAt, data?.expectedReleaseDate);
    const atRisk = deregistrationRisk(absenceDays);
    if (personen.length === 0) {
      return completed(ConnectorResultType.BRP_REGISTRATION_CHECKED, 'person-unknown', {
        registered: false,
        registeredInMunicipalityOfOrigin: false,
        municipality: null,
        hasAddress: false,
        addressFunction: null,
        hasValidIdDocument: null,
        expectedAbsenceDays: absenceDays ?? null,
        deregistrationRisk: atRisk,
      });
    }
    const person = personen.map(asRecord).find((p) => p?.burgerservicenummer === bsn);
    if (!person) return unexpectedAnswer('BRP', 'the person asked for');
    const municipality = asRecord(person.gemeenteVanInschrijving)?.code;
    const registered = typeof municipality === 'string' && municipality !== RNI_CODE;
    // The target group is people registered in the municipality of origin before detention
    // (DOMAIN.md); registered elsewhere, another municipality may be responsible.
    const registeredInMunicipalityOfOrigin = registered && municipality === data?.municipalityOfOrigin;
    const verblijfplaats = asRecord(person.verblijfplaats);
    const hasAddress = verblijfplaats?.type === 'Adres';
    const functie = asRecord(verblijfplaats?.functieAdres)?.code;

    // Tell burgerzaken, who keep the case by detention id for the release (no BSN comes then).
    const signalering = await this.http.postJson(
      'burgerzaken',
      `${this.config.BRP_API_URL}/detentiesignaleringen`,
      {
        detentionId: delivery.subject,
        burgerservicenummer: bsn,
        // The start, so the back office can tell later announcements from when the absence counts.
        ingangsdatum: dutchCalendarDate(data?.startedAt) ?? null,
        verwachteAfwezigheidDagen: absenceDays ?? null,
        risicoUitschrijving: atRisk,
      },
      // 404: the back office does not know the person (no case opened); the BRP's answer still counts.
      { acceptStatuses: [404] },
    );
    if (signalering.kind !== 'answer') return failureOutcome(signalering);
    const outcome = signalering.status === 404 ? 'person-unknown' : 'completed';
    return completed(ConnectorResultType.BRP_REGISTRATION_CHECKED, outcome, {
      registered,
      registeredInMunicipalityOfOrigin,
      municipality: typeof municipality === 'string' ? municipality : null,
      hasAddress,
      addressFunction: !hasAddress ? null : functie === 'B' ? 'postal-address' : 'home',
      hasValidIdDocument: hasValidDocument(person.reisdocumenten, asRecord(delivery.data)?.startedAt),
      expectedAbsenceDays: absenceDays ?? null,
      deregistrationRisk: atRisk,
      addressInvestigation: asRecord(signalering.body)?.adresonderzoek === true,
    });
  }

  /**
   * The expected release was set or moved: the deregistration risk is evaluated again for the new
   * expected absence, counted from the start the back office keeps for the detention (this delivery
   * carries no start and no BSN), and the back office is told when it changed.
   */
  private async rescheduled(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const url = `${this.config.BRP_API_URL}/detentiesignaleringen/${encodeURIComponent(delivery.subject)}`;
    // 404: no signalering, because the BRP did not know the person at the start; nothing to revise.
    const onRecord = await this.http.getJson('burgerzaken', url, { acceptStatuses: [404] });
    if (onRecord.kind !== 'answer') return failureOutcome(onRecord);
    if (onRecord.status === 404) return NOT_APPLICABLE;
    const signalering = asRecord(onRecord.body);
    if (typeof signalering?.ingangsdatum !== 'string') {
      return unexpectedAnswer('burgerzaken', 'the start of the detention');
    }
    const absenceDays = expectedDetentionDays(
      signalering.ingangsdatum,
      asRecord(delivery.data)?.expectedReleaseDate,
    );
    const atRisk = deregistrationRisk(absenceDays);
    const previousRisk =
      typeof signalering.risicoUitschrijving === 'boolean' ? signalering.risicoUitschrijving : null;
    let addressInvestigation = signalering.adresonderzoek === true;
    if (atRisk !== previousRisk && atRisk !== null) {
      const changed = await this.http.putJson('burgerzaken', url, {
        verwachteAfwezigheidDagen: absenceDays ?? null,
        risicoUitschrijving: atRisk,
      });
      if (changed.kind !== 'answer') return failureOutcome(changed);
      addressInvestigation = asRecord(changed.body)?.adresonderzoek === true;
    }
    return completed(ConnectorResultType.BRP_DEREGISTRATION_RISK_REVISED, 'completed', {
      previousRisk,
      deregistrationRisk: atRisk,
      revised: atRisk !== previousRisk && atRisk !== null,
      expectedAbsenceDays: absenceDays ?? null,
      addressInvestigation,
    });
  }

  private async released(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const address = asRecord(asRecord(delivery.data)?.addressAfterRelease);
    const postcode =
      typeof address?.postalCode === 'string' ? address.postalCode.replace(/\s/g, '').toUpperCase() : '';
    // Only what the check needs: postcode and house number identify the address in the BRP.
    const adresNaOntslag = postcode ? { postcode, huisnummer: String(address?.houseNumber ?? '') } : null;
    const answer = await this.http.postJson(
      'burgerzaken',
      `${this.config.BRP_API_URL}/detentiesignaleringen/${encodeURIComponent(delivery.subject)}/ontslag`,
      { adresNaOntslag },
      // 404: the back office has no case for this detention (the person was unknown at the start).
      { acceptStatuses: [404] },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    if (answer.status === 404) {
      return completed(ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED, 'person-unknown', {
        hasAddressAfterRelease: adresNaOntslag !== null,
        addressCheck: null,
        postalAddressNeeded: adresNaOntslag === null,
      });
    }
    const uitkomst = asRecord(answer.body)?.uitkomst;
    const check = typeof uitkomst === 'string' ? RELEASE_ADDRESS[uitkomst] : undefined;
    if (!check) return unexpectedAnswer('burgerzaken', 'a known uitkomst');
    return completed(ConnectorResultType.BRP_RELEASE_ADDRESS_CHECKED, 'completed', {
      hasAddressAfterRelease: adresNaOntslag !== null,
      addressCheck: check,
      postalAddressNeeded: check === 'postal-address-requested',
    });
  }
}

/**
 * Whether any travel document is valid on the day the detention started (or today). Undefined
 * documents (field absent) mean none was ever issued: no valid ID (DOMAIN.md, ID).
 */
export function hasValidDocument(reisdocumenten: unknown, on: unknown): boolean {
  if (!Array.isArray(reisdocumenten)) return false;
  const day =
    typeof on === 'string' && on.length >= 10 ? on.slice(0, 10) : new Date().toISOString().slice(0, 10);
  return reisdocumenten.some((doc) => {
    const until = asRecord(asRecord(doc)?.datumEindeGeldigheid)?.datum;
    return typeof until === 'string' && until >= day;
  });
}
