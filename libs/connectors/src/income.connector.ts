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
 * Income (a Suwinet-style inquiry): which benefits does the detainee have? There is no right to a
 * benefit in detention (Participatiewet art. 13), so the municipality must suspend or stop them.
 */
@Injectable()
export class IncomeConnector implements RecipientConnector {
  readonly kind = 'income' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type !== DetentionEventType.DETENTION_STARTED) return NOT_APPLICABLE;
    const bsn = bsnOf(delivery);
    if (!bsn) return { status: 'failed', reason: 'delivery carries no valid BSN' };
    const answer = await this.http.postJson(
      'Suwinet',
      `${this.config.SUWINET_API_URL}/uitkeringen/raadplegen`,
      { bsn },
      // Suwinet answers 404 for a person it does not know: an answer, not an error.
      { acceptStatuses: [404] },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    if (answer.status === 404) {
      return completed(ConnectorResultType.INCOME_BENEFITS_CHECKED, 'person-unknown', {
        hasBenefit: false,
        benefits: [],
      });
    }
    const uitkeringen = asRecord(answer.body)?.uitkeringen;
    if (!Array.isArray(uitkeringen)) return unexpectedAnswer('Suwinet', 'uitkeringen');
    const benefits = uitkeringen.map((u) => asRecord(u)?.soort).filter((s) => typeof s === 'string');
    return completed(ConnectorResultType.INCOME_BENEFITS_CHECKED, 'completed', {
      hasBenefit: benefits.length > 0,
      benefits,
    });
  }
}
