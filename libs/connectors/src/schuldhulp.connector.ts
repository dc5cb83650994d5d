import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { asRecord, completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/**
 * Schuldhulp (municipal debt help): refers the detainee when the screening shows debts and a wish for
 * help, since starting debt help during detention shortens the wait (DOMAIN.md, Debts). `debts` only
 * reaches this recipient with consent.schuldhulp (its privacy profile), so its presence is the consent.
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
    const debts = asRecord(asRecord(delivery.data)?.debts);
    if (debts?.hasDebts !== true || debts.wantsHelp !== true) return NOT_APPLICABLE;
    // The referral names the detention, not the person: debt help asks the coordinator for more.
    const answer = await this.http.postJson('schuldhulp', `${this.config.SCHULDHULP_API_URL}/aanmeldingen`, {
      detentionId: delivery.subject,
      estimatedTotal: debts.estimatedTotal,
      cjibDebt: debts.cjibDebt,
    });
    if (answer.kind !== 'answer') return failureOutcome(answer);
    const body = asRecord(answer.body);
    return completed(ConnectorResultType.SCHULDHULP_REFERRAL_MADE, 'completed', {
      referralId: body?.aanmeldingId ?? null,
      status: body?.status ?? null,
    });
  }
}
