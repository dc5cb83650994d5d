import { Inject, Injectable, Logger } from '@nestjs/common';
import { TenantsFile } from '@nazorg/config';
import { ConnectorResultType, RecipientKind } from '@nazorg/contracts';
import {
  CASE_STORE,
  CaseDecision,
  CaseInput,
  CaseStorePort,
  OutboxEntry,
  UNIT_OF_WORK,
  UnitOfWorkPort,
} from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { TenantDirectory } from '@nazorg/routing';
import { AftercareMessages } from './aftercare-messages';
import { AftercarePolicy, Deadline } from './aftercare.policy';
import { BasicCondition, CaseState, EventRef, foldCase } from './case-state';

/**
 * Keeps each detention's aftercare case up to date: after every stored event or connector result,
 * and on the scheduler's clock. Everything it decides (the DPAN answer, a warm-handover start, a
 * deadline alert) goes to the outbox in the same transaction as the case, so nothing is sent that
 * the case does not show, and nothing the case shows is left unsent.
 *
 * The "project cases" use case: it owns the flow (read, decide, lock, answer, write) and the
 * case store only reads and writes rows.
 */
@Injectable()
export class CaseProjectorService {
  private readonly logger = new Logger(CaseProjectorService.name);

  constructor(
    @Inject(CASE_STORE) private readonly store: CaseStorePort,
    @Inject(UNIT_OF_WORK) private readonly unitOfWork: UnitOfWorkPort,
    private readonly directory: TenantDirectory,
    private readonly tenants: TenantsFile,
    private readonly messages: AftercareMessages,
    private readonly policy: AftercarePolicy,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {}

  /**
   * One detention. With the refresh request it answers: as `refreshAll`. Without (the
   * scheduler's clock): read, decided and written under the detention's lock, as nothing tells
   * whether it changed meanwhile.
   */
  async refresh(
    detentionId: string,
    now = new Date(),
    request?: { requestedAt: string },
  ): Promise<{ newAlerts: number }> {
    if (request) {
      const { newAlerts } = await this.refreshAll([{ detentionId, requestedAt: request.requestedAt }], now);
      return { newAlerts };
    }
    const outcome = await this.unitOfWork.run(async () => {
      await this.store.lockDetentions([detentionId], { skipLocked: false });
      return this.store.writeCases(this.decideAll(await this.store.readInputs([detentionId]), now));
    });
    if (outcome.newAlerts) this.logger.log(`raised ${outcome.newAlerts} deadline alert(s)`);
    return outcome;
  }

  /**
   * Queued refresh requests, up to a pass of them at once (ADR 0028): read and decided first, then
   * written under the detentions' locks only where nothing changed meanwhile, so that the locks a
   * Kafka batch waits for are held while a pass writes, not while it reads and opens every event.
   * Everything that changes what a case is made of takes the same lock and renews or deletes the
   * detention's request (storing an event or a connector result, erasing), so a request answered
   * as it was read says the reading saw the detention as it is; a renewed or deleted one is left to
   * the pass that answers it. Throws if deciding fails for one: nothing of the pass is kept (the
   * worker then projects them one by one to find it). `skipLocked`: a detention another
   * transaction holds stays queued. `projected`: how many it locked (and so answered).
   */
  async refreshAll(
    requests: readonly { detentionId: string; requestedAt: string }[],
    now = new Date(),
    { skipLocked = false }: { skipLocked?: boolean } = {},
  ): Promise<{ newAlerts: number; projected: number }> {
    const ids = [...new Set(requests.map((r) => r.detentionId))];
    if (ids.length === 0) return { newAlerts: 0, projected: 0 };
    // A unit of its own: a detention key the cipher looks up goes over its connection.
    const decided = await this.unitOfWork.run(async () =>
      this.decideAll(await this.store.readInputs(ids), now),
    );
    const outcome = await this.unitOfWork.run(async () => {
      const locked = new Set(await this.store.lockDetentions(ids, { skipLocked }));
      const answered = new Set(
        await this.store.answerRequests(requests.filter((r) => locked.has(r.detentionId))),
      );
      const { newAlerts } = await this.store.writeCases(
        decided.filter(({ input }) => answered.has(input.detentionId)),
      );
      return { newAlerts, projected: locked.size };
    });
    if (outcome.newAlerts) this.logger.log(`raised ${outcome.newAlerts} deadline alert(s)`);
    return outcome;
  }

  private decideAll(inputs: readonly CaseInput[], now: Date): { input: CaseInput; decision: CaseDecision }[] {
    return inputs.map((input) => ({ input, decision: this.decide(input, now) }));
  }

  decide(input: CaseInput, now: Date): CaseDecision {
    const state = foldCase(input.detentionId, input.events, input.results, (reason) =>
      this.logger.warn(`case projection of one detention ${reason}`),
    );
    const tenantId = input.tenantId;
    const tenant = tenantId ? this.directory.tenant(tenantId) : undefined;
    const policy = tenant?.policy ?? this.tenants.defaultPolicy;
    const required = state.startedAt ? this.policy.aftercareRequired(state, policy) : null;
    const open = tenantId !== null && state.status !== 'withdrawn';
    const outbox: OutboxEntry[] = [];

    // The DPAN answer, once, as soon as both registration and income are known (issue 4: seconds).
    let dpanAnsweredAt = input.current?.dpanAnsweredAt ?? null;
    const brp = lastResult(state, ConnectorResultType.BRP_REGISTRATION_CHECKED);
    const income = lastResult(state, ConnectorResultType.INCOME_BENEFITS_CHECKED);
    if (open && !dpanAnsweredAt && brp && income && state.startedAt) {
      // Caused by whichever of the two results came last (results are in time order).
      const cause = state.results.indexOf(brp) > state.results.indexOf(income) ? brp : income;
      outbox.push(
        this.messages.dpanAnswer(
          input.detentionId,
          tenantId,
          dpanAnswerData(state, tenantId, brp, income, required),
          cause,
          now,
        ),
      );
      dpanAnsweredAt = now;
    }

    // Referrals the policy calls for, once per detention and partner (keyed ids), caused by the
    // screening: the connectors refer on these, not on the screening itself.
    const referralsDue = this.policy.referralsDue(state, policy);
    const screening = state.causes.screening;
    if (open && screening) {
      for (const kind of [RecipientKind.SCHULDHULP, RecipientKind.ZORG] as const) {
        if (!referralsDue[kind]) continue;
        const findings = Object.fromEntries(
          REFERRAL_FINDINGS[kind].map((c) => [c, state.conditions[c]?.value]),
        );
        outbox.push(
          ...this.messages.referralRequested(
            input.detentionId,
            tenantId,
            kind,
            { screenedAt: state.screenedAt, ...findings, consent: state.consent },
            screening,
            now,
          ),
        );
      }
    }

    // The warm handover starts when its window opens, again when the expected date moves; only
    // while the zorg consent condition holds (a later screening may withdraw the consent).
    let warmHandoverSentFor = input.current?.warmHandoverSentFor ?? null;
    const opensOn = this.policy.warmHandoverOpensOn(state, policy);
    // The Amsterdam calendar day, like the window's opening day (a UTC date is a day off at night).
    const today = this.policy.dayOf(now);
    if (
      open &&
      required &&
      this.policy.consentHolds(state, policy, 'zorg') &&
      state.status === 'detained' &&
      state.expectedReleaseDate &&
      state.causes.expectedRelease &&
      opensOn &&
      today >= opensOn &&
      warmHandoverSentFor !== state.expectedReleaseDate.slice(0, 10)
    ) {
      warmHandoverSentFor = state.expectedReleaseDate.slice(0, 10);
      outbox.push(
        ...this.messages.warmHandoverDue(
          input.detentionId,
          tenantId,
          warmHandoverSentFor,
          state.causes.expectedRelease,
          now,
        ),
      );
    }

    const deadlines = open
      ? this.policy.deadlines(
          state,
          policy,
          { notifiedAt: input.notifiedAt, dpanAnsweredAt, now },
          required !== false,
        )
      : [];
    const alerts = deadlines
      .filter((d) => d.status === 'threatened' || d.status === 'missed')
      .map((d) => ({ deadline: d.deadline, status: d.status, dueOn: d.dueOn }));
    if (open)
      for (const a of alerts) {
        const cause = alertCause(state, a.deadline, a.status);
        if (cause) outbox.push(...this.messages.deadlineAlert(input.detentionId, tenantId, a, cause, now));
      }

    return {
      record: {
        tenantId,
        status: state.status,
        personKey: state.bsn ? this.pseudonymizer.pseudonym(`bsn:${state.bsn}`) : null,
        startedAt: state.startedAt,
        notifiedAt: input.notifiedAt,
        expectedReleaseDate: state.expectedReleaseDate,
        releasedAt: state.releasedAt,
        screenedAt: state.screenedAt,
        aftercareRequired: required,
        problems: Object.entries(state.conditions)
          .filter(([, c]) => c.assessment !== 'ok')
          .map(([name]) => name)
          .sort(),
        referrals: state.referrals,
        dpanAnsweredAt,
        warmHandoverSentFor,
        firstCareContactAt: firstCareContact(state),
        state: {
          ...state,
          deadlines,
          aftercareRequired: required,
          warmHandoverOpensOn: opensOn,
          referralsDue,
        },
      },
      outbox,
      alerts,
    };
  }
}

/** What of the screening a referral carries (its profile then trims it, consent gating debts and care). */
const REFERRAL_FINDINGS: Record<'schuldhulp' | 'zorg', readonly BasicCondition[]> = {
  schuldhulp: ['debts', 'incomeWork'],
  zorg: ['care', 'housing'],
};

/**
 * The event a deadline alert follows from: the notification for the chain's own deadlines; for
 * release readiness the release (missed) or the announcement of the date it is threatened for.
 */
function alertCause(state: CaseState, deadline: Deadline, status: string): EventRef | undefined {
  if (deadline !== 'release-readiness') return state.causes.started;
  if (status === 'missed') return state.causes.released ?? state.causes.expectedRelease;
  return state.causes.expectedRelease ?? state.causes.started;
}

function lastResult(state: CaseState, type: string) {
  return [...state.results].reverse().find((r) => r.type === type);
}

/** What the municipality tells DJI: registration, income and whether it takes up aftercare. */
function dpanAnswerData(
  state: CaseState,
  tenantId: string,
  brp: CaseState['results'][number],
  income: CaseState['results'][number],
  required: boolean | null,
): Record<string, unknown> {
  const pick = (details: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => details[k] !== undefined).map((k) => [k, details[k]]));
  return {
    detentionId: state.detentionId,
    municipality: tenantId,
    brp: {
      outcome: brp.outcome,
      ...pick(brp.details, [
        'registered',
        'registeredInMunicipalityOfOrigin',
        'municipality',
        'hasAddress',
        'deregistrationRisk',
      ]),
    },
    income: { outcome: income.outcome, ...pick(income.details, ['hasBenefit', 'decision']) },
    aftercare: { required: required ?? true, contact: `coordinator-${tenantId}` },
  };
}

/**
 * The first care partner contact after the release (for the report's days from release to first
 * care contact): the first zorg notification with partners at or after `releasedAt`. A warm handover
 * before the release is not counted: it would make the figure negative, and the measure is how soon
 * care starts once the person is out.
 */
function firstCareContact(state: CaseState): Date | null {
  if (!state.releasedAt) return null;
  const releasedAt = Date.parse(state.releasedAt);
  const contact = state.results.find(
    (r) =>
      (r.type === ConnectorResultType.ZORG_PARTNERS_NOTIFIED ||
        r.type === ConnectorResultType.ZORG_WARM_HANDOVER_NOTIFIED) &&
      Array.isArray(r.details.partners) &&
      r.details.partners.length > 0 &&
      Date.parse(r.at) >= releasedAt,
  );
  return contact ? new Date(contact.at) : null;
}
