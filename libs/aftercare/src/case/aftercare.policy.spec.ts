import { TenantPolicyConfig } from '@nazorg/config';
import { DetentionEvent, DetentionEventType, FeedSource } from '@nazorg/contracts';
import { AftercarePolicy } from './aftercare.policy';
import { foldCase } from './case-state';

const ID = 'DJI-P';
const policy = (over: Partial<TenantPolicyConfig> = {}) => Object.assign(new TenantPolicyConfig(), over);
const rules = new AftercarePolicy();
const started = (startedAt: string, expectedReleaseDate: string | null) =>
  foldCase(
    ID,
    [
      {
        specversion: '1.0',
        id: 'e0',
        source: FeedSource.INJUS,
        type: DetentionEventType.DETENTION_STARTED,
        time: startedAt,
        subject: ID,
        data: {
          detentionId: ID,
          person: { bsn: '999990019' },
          institution: { code: 'PI-A', name: 'A' },
          startedAt,
          expectedReleaseDate,
          flags: { topX: false, pga: false, bij: false },
        },
      } as unknown as DetentionEvent,
    ],
    [],
  );

describe('AftercarePolicy: the day it is', () => {
  it('is the Amsterdam calendar day, not the UTC one, around midnight', () => {
    const policy = new AftercarePolicy();
    expect(policy.dayOf(new Date('2026-03-29T22:30:00Z'))).toBe('2026-03-30'); // 00:30 CEST
    expect(policy.dayOf(new Date('2026-12-01T23:15:00Z'))).toBe('2026-12-02'); // 00:15 CET
    expect(policy.dayOf(new Date('2026-12-01T22:45:00Z'))).toBe('2026-12-01'); // 23:45 CET
  });
});

describe('AftercarePolicy: detention length in Dutch calendar days', () => {
  // Eemland Zuid (Amersfoort, seed 004): aftercare for detentions of 90 days or more.
  const eemland = policy({ minimumDetentionDays: 90 });

  it('a 90-day detention that started in the afternoon is 90 days, and owed aftercare', () => {
    const afternoon = started('2026-11-20T13:00:00Z', '2027-02-18');
    expect(rules.lengthDays(afternoon)).toBe(90);
    expect(rules.aftercareRequired(afternoon, eemland)).toBe(true);
    expect(rules.lengthDays(started('2026-11-20T08:00:00Z', '2027-02-18'))).toBe(90);
  });

  it('one day shorter is not; a start just after midnight in Amsterdam counts from that day', () => {
    expect(rules.aftercareRequired(started('2026-11-20T13:00:00Z', '2027-02-17'), eemland)).toBe(false);
    const afterMidnight = started('2026-11-20T23:30:00Z', '2027-02-18');
    expect(rules.lengthDays(afterMidnight)).toBe(89);
    expect(rules.aftercareRequired(afterMidnight, eemland)).toBe(false);
  });

  it('after release the actual length counts, in the same way', () => {
    const state = { ...started('2026-11-20T15:00:00Z', '2026-12-01'), releasedAt: '2027-02-18T07:00:00Z' };
    expect(rules.lengthDays(state)).toBe(90);
  });

  it('is unknown without an expected release, which counts as owed', () => {
    const unknown = started('2026-11-20T13:00:00Z', null);
    expect(rules.lengthDays(unknown)).toBeNull();
    expect(rules.aftercareRequired(unknown, eemland)).toBe(true);
  });
});

describe('AftercarePolicy: deadlines', () => {
  // Started on Saturday 10 January 2026, notified on Monday the 12th (within 2 days).
  const saturday = started('2026-01-10T10:00:00Z', '2026-01-16');
  const notifiedAt = new Date('2026-01-12T09:00:00Z');
  const at = (iso: string, required: boolean) =>
    rules.deadlines(saturday, policy(), { notifiedAt, dpanAnsweredAt: null, now: new Date(iso) }, required);

  it('counts the screening’s ten working days from the notification, not from the start', () => {
    const screening = at('2026-01-13T10:00:00Z', true).find((d) => d.deadline === 'screening');
    // From Monday the 12th: 26 January (from the Saturday start it would be the 23rd).
    expect(screening).toEqual({ deadline: 'screening', dueOn: '2026-01-26', status: 'pending' });
    expect(at('2026-01-26T10:00:00Z', true).find((d) => d.deadline === 'screening')?.status).toBe(
      'threatened',
    );
  });

  it('keeps the chain’s deadlines where no aftercare is owed; only release readiness needs the duty', () => {
    const owed = at('2026-02-02T10:00:00Z', true).map((d) => [d.deadline, d.status]);
    const notOwed = at('2026-02-02T10:00:00Z', false).map((d) => [d.deadline, d.status]);
    expect(notOwed).toEqual([
      ['notification', 'met'],
      ['municipal-answer', 'missed'],
      ['screening', 'missed'],
    ]);
    expect(owed).toEqual([...notOwed, ['release-readiness', 'pending']]);
  });
});

describe('AftercarePolicy: consent withdrawn', () => {
  const screening = (id: string, time: string, zorg: boolean): DetentionEvent =>
    ({
      specversion: '1.0',
      id,
      source: FeedSource.DPAN,
      type: DetentionEventType.SCREENING_COMPLETED,
      time,
      subject: ID,
      data: {
        detentionId: ID,
        screenedAt: time,
        identity: { hasValidId: true, documentType: 'id-card' },
        housing: { situation: 'rental', atRiskOfLoss: false },
        incomeWork: { situation: 'benefit' },
        debts: { hasDebts: false, cjibDebt: false, estimatedTotal: '<1000', wantsHelp: false },
        care: { needsCare: true, areas: ['ggz'], currentProviders: [] },
        consent: { schuldhulp: false, zorg },
      },
    }) as unknown as DetentionEvent;
  const fold = (...events: DetentionEvent[]) => foldCase(ID, events, []);
  // A tenant that refers to care without consent (Wet Straffen en Beschermen).
  const noConsentNeeded = policy({ consentRequiredFor: [] });

  it('binds whatever the tenant policy, in any arrival order, once consent was given and then withdrawn', () => {
    const given = screening('s1', '2026-01-10T10:00:00Z', true);
    const withdrawn = screening('s2', '2026-01-11T10:00:00Z', false);
    for (const state of [fold(given, withdrawn), fold(withdrawn, given)]) {
      expect(state.consentWithdrawnFrom).toEqual(['zorg']);
      expect(rules.consentHolds(state, noConsentNeeded, 'zorg')).toBe(false);
      expect(rules.referralsDue(state, noConsentNeeded).zorg).toBe(false);
    }
  });

  it('never given is not withdrawn (the policy decides), and consent given again lifts it', () => {
    const never = fold(screening('s1', '2026-01-10T10:00:00Z', false));
    expect(never.consentWithdrawnFrom).toEqual([]);
    expect(rules.consentHolds(never, noConsentNeeded, 'zorg')).toBe(true);
    expect(rules.consentHolds(never, policy(), 'zorg')).toBe(false);
    const again = fold(
      screening('s1', '2026-01-10T10:00:00Z', true),
      screening('s2', '2026-01-11T10:00:00Z', false),
      screening('s3', '2026-01-12T10:00:00Z', true),
    );
    expect(again.consentWithdrawnFrom).toEqual([]);
    expect(rules.consentHolds(again, policy(), 'zorg')).toBe(true);
  });
});
