import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType } from '@nazorg/contracts';
import { asRecord, completed, failureOutcome, NOT_APPLICABLE, unexpectedAnswer } from './connector-outcomes';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/** Debt help's decision, in the result's words. */
export const REFERRAL_STATUS: Record<string, 'accepted' | 'declined' | 'waiting-list'> = {
  aangenomen: 'accepted',
  afgewezen: 'declined',
  wachtlijst: 'waiting-list',
};

/**
 * Schuldhulp (municipal debt help): refers the detainee when the screening shows debts and a wish for
 * help, since starting debt help during detention shortens the wait (DOMAIN.md, Debts), and records
 * debt help's decision (accepted, declined, or on the waiting list). `debts` only reaches this
 * recipient with consent.schuldhulp (its privacy profile), so its presence is the consent.
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
    const answer = await this.http.postJson(
      'schuldhulp',
      `${this.config.SCHULDHULP_API_URL}/aanmeldingen`,
      { detentionId: delivery.subject, estimatedTotal: debts.estimatedTotal, cjibDebt: debts.cjibDebt },
      // 404: the municipality does not know the person, so debt help cannot take the referral.
      { acceptStatuses: [404] },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    if (answer.status === 404) {
      return completed(ConnectorResultType.SCHULDHULP_REFERRAL_MADE, 'person-unknown', {
        referralId: null,
        status: null,
      });
    }
    const body = asRecord(answer.body);
    const status = typeof body?.status === 'string' ? REFERRAL_STATUS[body.status] : undefined;
    if (!status) return unexpectedAnswer('schuldhulp', 'a known status');
    return completed(ConnectorResultType.SCHULDHULP_REFERRAL_MADE, 'completed', {
      referralId: body?.aanmeldingId ?? null,
      status,
      ...(status === 'waiting-list' && typeof body?.wachttijdWeken === 'number'
        ? { waitingWeeks: body.wachttijdWeken }
        : {}),
      ...(status === 'declined' && typeof body?.redenAfwijzing === 'string'
        ? { declinedReason: body.redenAfwijzing }
        : {}),
      // CJIB debts fall outside debt rescheduling (DOMAIN.md): the coordinator handles them apart.
      cjibDebtOutsideRescheduling: debts.cjibDebt === true,
    });
  }
}
