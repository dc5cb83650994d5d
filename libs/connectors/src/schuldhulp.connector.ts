import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { AftercareEventType, CloudEvent, ConnectorResultType } from '@nazorg/contracts';
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
 * Schuldhulp (municipal debt help): refers the detainee when the hub asks it to (its
 * `referral-requested`: the screening showed debts and a wish for help, and the tenant's consent
 * policy allows a referral), since starting debt help during detention shortens the wait (DOMAIN.md,
 * Debts), and records debt help's decision (accepted, declined, or on the waiting list). The hub
 * decides whether to refer; the privacy profile decides what comes with it: `debts` only with
 * consent.schuldhulp, so without it the referral names the detention alone and debt help asks the
 * coordinator for the rest. The raw screening is not acted on.
 */
@Injectable()
export class SchuldhulpConnector implements RecipientConnector {
  readonly kind = 'schuldhulp' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
  ) {}

  async handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type !== AftercareEventType.REFERRAL_REQUESTED) return NOT_APPLICABLE;
    const debts = asRecord(asRecord(delivery.data)?.debts);
    // The referral names the detention, not the person: debt help asks the coordinator for more.
    const answer = await this.http.postJson(
      'schuldhulp',
      `${this.config.SCHULDHULP_API_URL}/aanmeldingen`,
      { detentionId: delivery.subject, estimatedTotal: debts?.estimatedTotal, cjibDebt: debts?.cjibDebt },
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
      // Unknown (null) when the referral came without the debts (no consent).
      cjibDebtOutsideRescheduling: typeof debts?.cjibDebt === 'boolean' ? debts.cjibDebt : null,
    });
  }
}
