import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { asRecord, completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/**
 * Zorg (care partners): notified when a screening shows care needs (`care` only reaches this
 * recipient with consent.zorg) and at release, for a warm handover. The melding names the detention
 * only: zorg may never see a BSN (CONTRACT section 4), and care partners need no name to plan.
 */
@Injectable()
export class ZorgConnector implements RecipientConnector {
  readonly kind = 'zorg' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const melding = this.meldingFor(delivery);
    if (!melding) return NOT_APPLICABLE;
    const answer = await this.http.postJson('zorg', `${this.config.ZORG_API_URL}/meldingen`, melding);
    if (answer.kind !== 'answer') return failureOutcome(answer);
    const body = asRecord(answer.body);
    return completed(ConnectorResultType.ZORG_PARTNERS_NOTIFIED, 'completed', {
      notificationId: body?.meldingId ?? null,
      partners: Array.isArray(body?.partners) ? body.partners : [],
    });
  }

  /** Picks the fields explicitly, so nothing else in the delivery can reach the care partners. */
  private meldingFor(delivery: CloudEvent): Record<string, unknown> | undefined {
    const data = asRecord(delivery.data);
    if (delivery.type === DetentionEventType.SCREENING_COMPLETED) {
      const care = asRecord(data?.care);
      if (care?.needsCare !== true) return undefined;
      return {
        detentionId: delivery.subject,
        moment: 'screening',
        careAreas: Array.isArray(care.areas) ? care.areas : [],
        currentProviders: Array.isArray(care.currentProviders) ? care.currentProviders : [],
      };
    }
    if (delivery.type === DetentionEventType.DETENTION_RELEASED) {
      return {
        detentionId: delivery.subject,
        moment: 'release',
        releasedAt: data?.releasedAt,
        supervision: data?.supervisionContinues === true,
      };
    }
    return undefined;
  }
}
