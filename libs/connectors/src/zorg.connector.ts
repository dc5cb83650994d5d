import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import {
  CloudEvent,
  ConnectorResultType,
  DetentionEventType,
  DetentionReleasedData,
  ScreeningCompletedData,
} from '@nazorg/contracts';
import { completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/**
 * Zorg (care partners): notifies them when a screening shows care needs (delivered only with
 * consent) and on release, for a warm handover. Never sends a BSN: zorg may not see it.
 */
@Injectable()
export class ZorgConnector implements RecipientConnector {
  readonly kind = 'zorg' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    let melding: Record<string, unknown>;
    if (delivery.type === DetentionEventType.SCREENING_COMPLETED) {
      const care = (delivery.data as Partial<ScreeningCompletedData>).care;
      if (!care?.needsCare) return NOT_APPLICABLE;
      melding = {
        detentionId: delivery.subject,
        moment: 'screening',
        careAreas: care.areas,
        currentProviders: care.currentProviders,
      };
    } else if (delivery.type === DetentionEventType.DETENTION_RELEASED) {
      const released = delivery.data as Partial<DetentionReleasedData>;
      melding = {
        detentionId: delivery.subject,
        moment: 'release',
        releasedAt: released.releasedAt,
        supervision: released.supervisionContinues === true,
      };
    } else {
      return NOT_APPLICABLE;
    }
    const answer = await this.http.post(`${this.config.ZORG_API_URL}/meldingen`, melding);
    if (answer.kind !== 'answer') return failureOutcome(answer);
    return completed(ConnectorResultType.ZORG_PARTNERS_NOTIFIED, 'completed', {
      notificationId: answer.body.meldingId ?? null,
      partners: answer.body.partners ?? [],
    });
  }
}
