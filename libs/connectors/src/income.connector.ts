import { Injectable } from '@nestjs/common';
import { AppConfig, TenantPolicyConfig, TenantsFile } from '@nazorg/config';
import { CloudEvent, ConnectorResultType, DetentionEventType, dutchCalendarDate } from '@nazorg/contracts';
import {
  asRecord,
  bsnOf,
  completed,
  failureOutcome,
  NOT_APPLICABLE,
  unexpectedAnswer,
} from './connector-outcomes';
import { BenefitDecision, benefitDecision, expectedDetentionDays } from './detention-length';
import { ExternalHttpClient } from './external-http.client';
import { ConnectorOutcome, RecipientConnector } from './recipient-connector.port';

/** The measure the municipal benefits administration records for each decision. */
const MAATREGEL: Record<BenefitDecision, string> = {
  suspend: 'opschorten',
  'suspend-pending': 'opschorten-voorlopig',
  stop: 'beeindigen',
  none: 'geen-uitkering',
};
const RESUMPTION: Record<string, 'resumed' | 'reapplication-needed' | 'no-benefit'> = {
  hervat: 'resumed',
  heraanvraag: 'reapplication-needed',
  'geen-uitkering': 'no-benefit',
};

/**
 * Income (a Suwinet-style inquiry and the municipal benefits administration). There is no right to a
 * benefit in detention (Participatiewet art. 13): at the start the connector asks which benefits the
 * detainee has and decides, by the tenant's `benefitSuspendUpToDays`, to suspend them (expected
 * detention up to that many days, or not yet known) or stop them (longer), and records the decision
 * with the benefits administration, keyed by detention id. When the expected release is set or
 * moves, it re-decides a suspension by the same limit (a stop stays a stop). At release (no BSN then)
 * it checks the measure against the actual length (a suspension of a detention that lasted beyond
 * the limit becomes a stop), asks the administration by that id to resume, and flags an advance
 * (voorschot) when the person leaves without income: a stopped benefit that must be applied for
 * again, or none at all.
 */
@Injectable()
export class IncomeConnector implements RecipientConnector {
  readonly kind = 'income' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    private readonly config: AppConfig,
    private readonly tenants: TenantsFile,
  ) {}

  handle(delivery: CloudEvent): Promise<ConnectorOutcome> {
    if (delivery.type === DetentionEventType.DETENTION_STARTED) return this.started(delivery);
    if (delivery.type === DetentionEventType.RELEASE_SCHEDULED) return this.rescheduled(delivery);
    if (delivery.type === DetentionEventType.DETENTION_RELEASED) return this.released(delivery);
    return Promise.resolve(NOT_APPLICABLE);
  }

  /** The delivery's tenant's policy; national defaults for a tenant the file does not name. */
  policyOf(delivery: CloudEvent): TenantPolicyConfig {
    const tenant = this.tenants.tenants.find((t) => t.id === delivery.tenant);
    return tenant?.policy ?? this.tenants.defaultPolicy;
  }

  private async started(delivery: CloudEvent): Promise<ConnectorOutcome> {
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
        decision: null,
      });
    }
    const uitkeringen = asRecord(answer.body)?.uitkeringen;
    if (!Array.isArray(uitkeringen)) return unexpectedAnswer('Suwinet', 'uitkeringen');
    const benefits = uitkeringen
      .map((u) => asRecord(u)?.soort)
      .filter((s): s is string => typeof s === 'string');
    const data = asRecord(delivery.data);
    const expectedDays = expectedDetentionDays(data?.startedAt, data?.expectedReleaseDate);
    const suspendUpToDays = this.policyOf(delivery).benefitSuspendUpToDays;
    const decision = benefitDecision(benefits.length > 0, expectedDays, suspendUpToDays);
    const recorded = await this.http.postJson(
      'benefits administration',
      `${this.config.SUWINET_API_URL}/uitkeringsadministratie/detentiemaatregelen`,
      {
        detentionId: delivery.subject,
        bsn,
        maatregel: MAATREGEL[decision],
        // The Dutch date, as every length is counted (calendarDaysBetween).
        ingangsdatum: dutchCalendarDate(data?.startedAt) ?? null,
        uitkeringen: benefits,
      },
    );
    if (recorded.kind !== 'answer') return failureOutcome(recorded);
    return completed(ConnectorResultType.INCOME_BENEFITS_CHECKED, 'completed', {
      hasBenefit: benefits.length > 0,
      benefits,
      decision,
      expectedDetentionDays: expectedDays ?? null,
      suspendUpToDays,
      measureId: asRecord(recorded.body)?.maatregelId ?? null,
    });
  }

  /**
   * The expected release was set or moved: a suspension is re-decided from the measure's start date
   * on record. Only suspensions change: a stopped benefit is applied for again at release anyway.
   */
  private async rescheduled(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const measureUrl = `${this.config.SUWINET_API_URL}/uitkeringsadministratie/detentiemaatregelen/${encodeURIComponent(delivery.subject)}`;
    const onRecord = await this.http.getJson('benefits administration', measureUrl, {
      // 404: no measure, because the person was unknown to Suwinet at the start; nothing to revise.
      acceptStatuses: [404],
    });
    if (onRecord.kind !== 'answer') return failureOutcome(onRecord);
    if (onRecord.status === 404) return NOT_APPLICABLE;
    const measure = asRecord(onRecord.body);
    const previous = decisionOf(measure?.maatregel);
    if (!previous) return unexpectedAnswer('benefits administration', 'a known maatregel');
    if (previous !== 'suspend' && previous !== 'suspend-pending') return NOT_APPLICABLE;
    const expectedDays = expectedDetentionDays(
      measure?.ingangsdatum,
      asRecord(delivery.data)?.expectedReleaseDate,
    );
    const suspendUpToDays = this.policyOf(delivery).benefitSuspendUpToDays;
    const decision = benefitDecision(true, expectedDays, suspendUpToDays);
    if (decision !== previous) {
      const changed = await this.http.putJson('benefits administration', measureUrl, {
        maatregel: MAATREGEL[decision],
      });
      if (changed.kind !== 'answer') return failureOutcome(changed);
    }
    return completed(ConnectorResultType.INCOME_DECISION_REVISED, 'completed', {
      previousDecision: previous,
      decision,
      revised: decision !== previous,
      expectedDetentionDays: expectedDays ?? null,
      suspendUpToDays,
    });
  }

  /**
   * At release the decision is checked against the actual length first: a suspension (also a
   * provisional one, made without an expected date) of a detention that lasted longer than the
   * tenant's limit becomes a stop, so the person re-applies (with an advance) instead of having a
   * benefit resumed they had no right to keep. Then the administration is asked to resume.
   */
  private async released(delivery: CloudEvent): Promise<ConnectorOutcome> {
    const measureUrl = `${this.config.SUWINET_API_URL}/uitkeringsadministratie/detentiemaatregelen/${encodeURIComponent(delivery.subject)}`;
    const releasedOn = releaseDate(asRecord(delivery.data)?.releasedAt);
    const onRecord = await this.http.getJson('benefits administration', measureUrl, {
      // 404: no measure on record, because the person was unknown to Suwinet at the start.
      acceptStatuses: [404],
    });
    if (onRecord.kind !== 'answer') return failureOutcome(onRecord);
    if (onRecord.status === 404) {
      // Nothing known about an income: the advance is the safe way to bridge the first weeks.
      return completed(ConnectorResultType.INCOME_RESUMPTION_REQUESTED, 'person-unknown', {
        resumption: null,
        advanceNeeded: true,
      });
    }
    const measure = asRecord(onRecord.body);
    const previous = decisionOf(measure?.maatregel);
    if (!previous) return unexpectedAnswer('benefits administration', 'a known maatregel');
    const actualDays = expectedDetentionDays(measure?.ingangsdatum, releasedOn);
    const suspendUpToDays = this.policyOf(delivery).benefitSuspendUpToDays;
    const suspended = previous === 'suspend' || previous === 'suspend-pending';
    // Without a start on record the length is unknown: the suspension stands, as decided.
    const stopNow =
      suspended && actualDays !== undefined && benefitDecision(true, actualDays, suspendUpToDays) === 'stop';
    if (stopNow) {
      const changed = await this.http.putJson('benefits administration', measureUrl, {
        maatregel: MAATREGEL.stop,
      });
      if (changed.kind !== 'answer') return failureOutcome(changed);
    }
    const answer = await this.http.postJson(
      'benefits administration',
      `${measureUrl}/hervatting`,
      { datumOntslag: releasedOn },
      { acceptStatuses: [404] },
    );
    if (answer.kind !== 'answer') return failureOutcome(answer);
    if (answer.status === 404)
      return unexpectedAnswer('benefits administration', 'the measure it just showed');
    const hervatting = asRecord(answer.body)?.hervatting;
    const resumption = typeof hervatting === 'string' ? RESUMPTION[hervatting] : undefined;
    if (!resumption) return unexpectedAnswer('benefits administration', 'a known hervatting');
    return completed(ConnectorResultType.INCOME_RESUMPTION_REQUESTED, 'completed', {
      resumption,
      advanceNeeded: advanceNeeded(resumption),
      resumptionId: asRecord(answer.body)?.hervattingId ?? null,
      previousDecision: previous,
      revisedAtRelease: stopNow,
      actualDetentionDays: actualDays ?? null,
      suspendUpToDays,
    });
  }
}

/** The decision a maatregel on record stands for. */
function decisionOf(maatregel: unknown): BenefitDecision | undefined {
  return (Object.entries(MAATREGEL) as [BenefitDecision, string][]).find(([, m]) => m === maatregel)?.[0];
}

/**
 * An advance (voorschot, an interest-free loan) is flagged when the person leaves without income:
 * a benefit that was stopped must be assessed again, and someone without a benefit has none at all
 * (DOMAIN.md, Benefits). A suspended benefit is simply paid again.
 */
export function advanceNeeded(resumption: 'resumed' | 'reapplication-needed' | 'no-benefit'): boolean {
  return resumption !== 'resumed';
}

function releaseDate(releasedAt: unknown): string {
  return dutchCalendarDate(releasedAt) ?? (dutchCalendarDate(new Date()) as string);
}
