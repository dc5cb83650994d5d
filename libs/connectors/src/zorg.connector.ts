import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { AftercareEventType, CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { asRecord, completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

type Moment = 'screening' | 'warm-handover' | 'release';

const RESULT_OF: Record<Moment, ConnectorResultType> = {
  screening: ConnectorResultType.ZORG_PARTNERS_NOTIFIED,
  'warm-handover': ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED,
  release: ConnectorResultType.ZORG_PARTNERS_NOTIFIED,
};

/**
 * Zorg (care partners, through a regional care platform that keeps a traject per detention):
 * - at the start, registers probation supervision when the feed names it, so probation is part of
 *   the warm handover;
 * - when the hub asks for a care referral (its `referral-requested`, after a screening with care
 *   needs where the tenant's consent policy allows it; not on the raw screening), notifies the
 *   partners for the care areas (`care` only reaches this recipient with consent.zorg; without it
 *   the platform's social team picks the referral up) and specialist housing (Exodus) for someone
 *   homeless;
 * - when the warm-handover window opens (the hub's `warm-handover-due`, sent only while the zorg
 *   consent condition holds), notifies the partners the platform has for the detention and
 *   probation, and records their acknowledgements;
 * - at release, the same, with probation when supervision continues and specialist housing when
 *   there is no address after release.
 * Every call names the detention only: zorg may never see a BSN (CONTRACT section 4), and care
 * partners need no name to plan. Consent is the hub's to enforce: once a later screening withdrew
 * the zorg consent, no release, referral or warm handover reaches this connector (ADR 0025), so it
 * acts on whatever does arrive.
 */
@Injectable()
export class ZorgConnector implements RecipientConnector {
  readonly kind = 'zorg' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type === DetentionEventType.DETENTION_STARTED) return this.supervision(delivery);
    const melding = meldingFor(delivery);
    if (!melding) return NOT_APPLICABLE;
    const moment = melding.moment as Moment;
    const answer = await this.http.postJson(
      'zorg',
      `${this.config.ZORG_API_URL}/meldingen`,
      melding,
      // 404: the platform has no traject for the detention (no care data shared, no supervision).
      { acceptStatuses: [404] },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    if (answer.status === 404) {
      return completed(RESULT_OF[moment], 'person-unknown', {
        moment,
        partners: [],
        acknowledgedBy: [],
        awaitingAcknowledgement: [],
      });
    }
    const body = asRecord(answer.body);
    const partners = strings(body?.partners);
    const bevestigingen = Array.isArray(body?.bevestigingen) ? body.bevestigingen.map(asRecord) : [];
    const acknowledged = (partner: string) =>
      bevestigingen.some((b) => b?.partner === partner && b.status === 'bevestigd');
    return completed(RESULT_OF[moment], 'completed', {
      notificationId: body?.meldingId ?? null,
      moment,
      partners,
      acknowledgedBy: partners.filter(acknowledged),
      awaitingAcknowledgement: partners.filter((p) => !acknowledged(p)),
    });
  }

  private async supervision(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const organisation = asRecord(asRecord(delivery.data)?.supervision)?.organisation;
    if (typeof organisation !== 'string' || organisation === '') return NOT_APPLICABLE;
    const answer = await this.http.postJson(
      'zorg',
      `${this.config.ZORG_API_URL}/trajecten/${encodeURIComponent(delivery.subject)}/toezicht`,
      { organisatie: organisation },
      { acceptStatuses: [404] },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    return completed(
      ConnectorResultType.ZORG_SUPERVISION_REGISTERED,
      answer.status === 404 ? 'person-unknown' : 'completed',
      { supervisingOrganisation: organisation, trajectId: asRecord(answer.body)?.trajectId ?? null },
    );
  }
}

/** Picks the fields explicitly, so nothing else in the delivery can reach the care partners. */
export function meldingFor(delivery: CloudEvent): Record<string, unknown> | undefined {
  const data = asRecord(delivery.data);
  if (delivery.type === AftercareEventType.REFERRAL_REQUESTED) {
    const care = asRecord(data?.care);
    return {
      detentionId: delivery.subject,
      moment: 'screening',
      careAreas: strings(care?.areas),
      currentProviders: strings(care?.currentProviders),
      specialistHousing: asRecord(data?.housing)?.situation === 'homeless',
    };
  }
  if (delivery.type === AftercareEventType.WARM_HANDOVER_DUE) {
    return {
      detentionId: delivery.subject,
      moment: 'warm-handover',
      expectedReleaseDate: typeof data?.expectedReleaseDate === 'string' ? data.expectedReleaseDate : null,
    };
  }
  if (delivery.type === DetentionEventType.DETENTION_RELEASED) {
    return {
      detentionId: delivery.subject,
      moment: 'release',
      releasedAt: data?.releasedAt,
      supervision: data?.supervisionContinues === true,
      // Leaving without an address: specialist supported housing. The address itself is not sent.
      specialistHousing: asRecord(data?.addressAfterRelease) === undefined,
    };
  }
  return undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
