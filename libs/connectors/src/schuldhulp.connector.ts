import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import {
  CloudEvent,
  ConnectorResultType,
  DetentionEventType,
  ScreeningCompletedData,
} from '@nazorg/contracts';
import { completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/**
 * Schuldhulp (municipal debt help): refers the detainee when the screening shows debts and a wish
 * for help. `debts` only reaches this recipient with consent (privacy profile), so its presence is
 * the consent.
 */
@Injectable()
export class SchuldhulpConnector implements RecipientConnector {
  readonly kind = 'schuldhulp' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type !== DetentionEventType.SCREENING_COMPLETED) return NOT_APPLICABLE;
    const debts = (delivery.data as Partial<ScreeningCompletedData>).debts;
    if (!debts?.hasDebts || !debts.wantsHelp) return NOT_APPLICABLE;
    const answer = await this.http.post(`${this.config.SCHULDHULP_API_URL}/aanmeldingen`, {
      detentionId: delivery.subject,
      estimatedTotal: debts.estimatedTotal,
      cjibDebt: debts.cjibDebt,
    });
    if (answer.kind !== 'answer') return failureOutcome(answer);
    return completed(ConnectorResultType.SCHULDHULP_REFERRAL_MADE, 'completed', {
      referralId: answer.body.aanmeldingId ?? null,
      status: answer.body.status ?? null,
    });
  }
}
