import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { bsnOfStart, completed, failureOutcome, NOT_APPLICABLE } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/** Income (Suwinet-style): which benefits does the detainee have (none is allowed in detention)? */
@Injectable()
export class IncomeConnector implements RecipientConnector {
  readonly kind = 'income' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type !== DetentionEventType.DETENTION_STARTED) return NOT_APPLICABLE;
    const bsn = bsnOfStart(delivery);
    if (!bsn) return { status: 'failed', reason: 'delivery carries no BSN' };
    const answer = await this.http.post(
      `${this.config.SUWINET_API_URL}/uitkeringen/raadplegen`,
      { bsn },
      {
        acceptStatuses: [404],
      },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    if (answer.status === 404) {
      return completed(ConnectorResultType.INCOME_BENEFITS_CHECKED, 'person-unknown', { hasBenefit: false });
    }
    const benefits = ((answer.body.uitkeringen as { soort?: string }[] | undefined) ?? []).map(
      (u) => u.soort,
    );
    return completed(ConnectorResultType.INCOME_BENEFITS_CHECKED, 'completed', {
      hasBenefit: benefits.length > 0,
      benefits,
    });
  }
}
