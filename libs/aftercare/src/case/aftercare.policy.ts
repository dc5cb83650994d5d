import { TenantPolicyConfig } from '@nazorg/config';
import { calendarDaysBetween } from '@nazorg/contracts';
import { WorkingDaysCalendar } from '../calendar';
import { BASIC_CONDITIONS, CaseState } from './case-state';

/** The deadlines the hub tracks per case (issue 4, DOMAIN.md). */
export const DEADLINES = ['notification', 'municipal-answer', 'screening', 'release-readiness'] as const;
export type Deadline = (typeof DEADLINES)[number];

export interface DeadlineState {
  deadline: Deadline;
  /** The last day that still counts (YYYY-MM-DD, Europe/Amsterdam). */
  dueOn: string;
  status: 'met' | 'pending' | 'threatened' | 'missed';
}

export interface CaseClock {
  /** When the hub received the detention.started notification. */
  notifiedAt: Date | null;
  /** When the municipality's DPAN answer went out. */
  dpanAnsweredAt: Date | null;
  now: Date;
}

/**
 * A tenant's aftercare policy applied to a case: pure functions of the case, the policy, the
 * Dutch working-day calendar and a clock the caller passes (tests control time).
 */
export class AftercarePolicy {
  constructor(private readonly calendar = new WorkingDaysCalendar()) {}

  /** The calendar day (YYYY-MM-DD) in Amsterdam of a date or an instant: what deadlines and windows count in. */
  dayOf(at: string | Date): string {
    return this.calendar.addCalendarDays(at, 0);
  }

  /**
   * Expected (or, after release, actual) length in Dutch calendar days, as the connectors count it;
   * null while nobody knows. (Rounding the hours between the instants made a 90-day detention that
   * started in the afternoon 89 days, and Eemland Zuid refused it aftercare.)
   */
  lengthDays(state: CaseState): number | null {
    if (!state.startedAt) return null;
    const end = state.releasedAt ?? state.expectedReleaseDate;
    if (!end) return null;
    return calendarDaysBetween(state.startedAt, end) ?? null;
  }

  /**
   * Whether the tenant owes aftercare: a flag the tenant always qualifies (Amersfoort: Top X, PGA),
   * or a detention at least `minimumDetentionDays` long (Westland: 10). Unknown length counts as
   * owed: better a coordinator who looks than a person nobody expected.
   */
  aftercareRequired(state: CaseState, policy: TenantPolicyConfig): boolean {
    if (
      policy.alwaysQualifyingFlags.some((flag) =>
        flag === 'supervision' ? state.supervision : state.flags?.[flag],
      )
    )
      return true;
    const length = this.lengthDays(state);
    return length === null || length >= policy.minimumDetentionDays;
  }

  /** The first day of the warm-handover window, or null without an expected release date. */
  warmHandoverOpensOn(state: CaseState, policy: TenantPolicyConfig): string | null {
    if (!state.expectedReleaseDate) return null;
    return this.calendar.addCalendarDays(state.expectedReleaseDate, -policy.warmHandoverDaysBeforeRelease);
  }

  /**
   * Whether the tenant's consent condition for a partner holds: consent not required
   * (`policy.consentRequiredFor`), or recorded at the latest screening. It decides whether the hub
   * refers at all and whether the warm handover goes to zorg; what a referral may carry is decided
   * apart, by the partner's privacy profile (CONTRACT section 4: without consent no debts or care
   * fields, whatever the policy). Consent recorded and later withdrawn never holds.
   */
  consentHolds(state: CaseState, policy: TenantPolicyConfig, partner: 'schuldhulp' | 'zorg'): boolean {
    // Withdrawn consent binds whatever the tenant's policy: the person said no (ADR 0025).
    if (state.consentWithdrawnFrom?.includes(partner)) return false;
    return !policy.consentRequiredFor.includes(partner) || state.consent?.[partner] === true;
  }

  /**
   * Which referrals the hub requests: debt help when the screening found debts and a wish for help,
   * care when it found care needs; each only where the consent condition holds. From the screening's
   * findings, not the condition's progress, so a referral in hand still counts as due.
   */
  referralsDue(state: CaseState, policy: TenantPolicyConfig): { schuldhulp: boolean; zorg: boolean } {
    const debts = state.conditions.debts?.value;
    const care = state.conditions.care?.value;
    return {
      schuldhulp:
        debts?.hasDebts === true &&
        debts.wantsHelp === true &&
        this.consentHolds(state, policy, 'schuldhulp'),
      zorg: care?.needsCare === true && this.consentHolds(state, policy, 'zorg'),
    };
  }

  unresolvedConditions(state: CaseState): string[] {
    return BASIC_CONDITIONS.filter((c) => state.conditions[c]?.assessment === 'problem');
  }

  /**
   * The chain's deadlines (notification, municipal answer, screening) hold for every open case:
   * they are the justice chain's and the municipality's duties whether or not aftercare follows.
   * Release readiness is about the aftercare itself, so only where the tenant owes it.
   */
  deadlines(
    state: CaseState,
    policy: TenantPolicyConfig,
    clock: CaseClock,
    aftercareRequired: boolean,
  ): DeadlineState[] {
    if (!state.startedAt || state.status === 'withdrawn') return [];
    const today = this.dayOf(clock.now);
    const out: DeadlineState[] = [];

    // INJUS notifies within 2 days of the start (DOMAIN.md): met or late, known on arrival.
    const notifyBy = this.calendar.addCalendarDays(state.startedAt, 2);
    if (clock.notifiedAt) {
      out.push({
        deadline: 'notification',
        dueOn: notifyBy,
        status: this.dayOf(clock.notifiedAt) <= notifyBy ? 'met' : 'missed',
      });
    }

    // The municipality answers DPAN within 5 working days of the notification.
    const from = clock.notifiedAt ?? new Date(state.startedAt);
    const answerBy = this.calendar.addWorkingDays(from, 5);
    out.push({
      deadline: 'municipal-answer',
      dueOn: answerBy,
      status: this.status(clock.dpanAnsweredAt ? this.dayOf(clock.dpanAnsweredAt) : null, answerBy, today, 1),
    });

    // Screening "binnen tien werkdagen vanaf de melding van detentie" (seed 004): from the notification.
    const screenBy = this.calendar.addWorkingDays(from, 10);
    out.push({
      deadline: 'screening',
      dueOn: screenBy,
      status: this.status(state.screenedAt ? this.dayOf(state.screenedAt) : null, screenBy, today, 2),
    });

    // Basic conditions in order before release: threatened once the warm-handover window opens
    // with problems left, missed if the person leaves with problems left.
    const opensOn = this.warmHandoverOpensOn(state, policy);
    const unresolved = this.unresolvedConditions(state).length > 0;
    if (!aftercareRequired) return out;
    const releaseDay = state.releasedAt
      ? this.dayOf(state.releasedAt)
      : state.expectedReleaseDate
        ? this.dayOf(state.expectedReleaseDate)
        : undefined;
    if (releaseDay) {
      let status: DeadlineState['status'] = 'pending';
      if (state.status === 'released') status = unresolved ? 'missed' : 'met';
      else if (opensOn && today >= opensOn) status = unresolved ? 'threatened' : 'pending';
      out.push({ deadline: 'release-readiness', dueOn: releaseDay, status });
    }
    return out;
  }

  /** met / missed by `doneOn`; else threatened within `warnDays` working days of `dueOn`. */
  private status(
    doneOn: string | null,
    dueOn: string,
    today: string,
    warnDays: number,
  ): DeadlineState['status'] {
    if (doneOn) return doneOn <= dueOn ? 'met' : 'missed';
    if (today > dueOn) return 'missed';
    return this.calendar.workingDaysBetween(today, dueOn) < warnDays ? 'threatened' : 'pending';
  }
}
