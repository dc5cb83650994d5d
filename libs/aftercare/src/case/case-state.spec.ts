import fc from 'fast-check';
import { TenantPolicyConfig } from '@nazorg/config';
import { DetentionEvent, DetentionEventType, FeedSource } from '@nazorg/contracts';
import { AftercarePolicy } from './aftercare.policy';
import { foldCase } from './case-state';

const ID = 'DJI-1';
const event = (n: number, type: string, time: string, data: Record<string, unknown>): DetentionEvent =>
  ({
    specversion: '1.0',
    id: `e${n}`,
    source: type.includes('dpan') ? FeedSource.DPAN : FeedSource.INJUS,
    type,
    time,
    subject: ID,
    data: { detentionId: ID, ...data },
  }) as unknown as DetentionEvent;

const LIFECYCLE: DetentionEvent[] = [
  event(0, DetentionEventType.DETENTION_STARTED, '2026-01-05T08:00:00Z', {
    person: { bsn: '999990019' },
    institution: { code: 'PI-A', name: 'A' },
    startedAt: '2026-01-05T08:00:00Z',
    expectedReleaseDate: '2026-02-01',
    flags: { topX: false, pga: false, bij: false },
  }),
  event(1, DetentionEventType.DETENTION_TRANSFERRED, '2026-01-08T08:00:00Z', {
    transferredAt: '2026-01-08T08:00:00Z',
    from: { code: 'PI-A', name: 'A' },
    to: { code: 'PI-B', name: 'B' },
  }),
  event(2, DetentionEventType.SCREENING_COMPLETED, '2026-01-09T08:00:00Z', {
    screenedAt: '2026-01-09T08:00:00Z',
    identity: { hasValidId: false, documentType: 'none' },
    housing: { situation: 'rental', atRiskOfLoss: false },
    incomeWork: { situation: 'none' },
    debts: { hasDebts: true },
    care: { needsCare: false, areas: [], currentProviders: [] },
    consent: { schuldhulp: true, zorg: false },
  }),
  event(3, DetentionEventType.RELEASE_SCHEDULED, '2026-01-10T08:00:00Z', {
    expectedReleaseDate: '2026-03-01',
  }),
  event(4, DetentionEventType.RELEASE_SCHEDULED, '2026-01-20T08:00:00Z', {
    expectedReleaseDate: '2026-04-01',
  }),
  event(5, DetentionEventType.DETENTION_RELEASED, '2026-03-30T08:00:00Z', {
    releasedAt: '2026-03-30T08:00:00Z',
    supervisionContinues: true,
  }),
];

describe('foldCase', () => {
  it('gives the same case for every arrival order, duplicates included (property)', () => {
    const expected = foldCase(ID, LIFECYCLE, []);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(LIFECYCLE, { minLength: LIFECYCLE.length, maxLength: LIFECYCLE.length }),
        fc.subarray(LIFECYCLE),
        (order, duplicates) => {
          expect(foldCase(ID, [...order, ...duplicates], [])).toEqual(expected);
        },
      ),
    );
    expect(expected).toMatchObject({
      status: 'released',
      expectedReleaseDate: '2026-04-01',
      institutions: [{ code: 'PI-A' }, { code: 'PI-B' }],
      conditions: {
        identity: { assessment: 'problem' },
        debts: { assessment: 'problem' },
        care: { assessment: 'ok' },
      },
    });
  });

  it('a release twice with different facts: the later release stands, whatever the arrival order', () => {
    const again = event(6, DetentionEventType.DETENTION_RELEASED, '2026-03-31T09:00:00Z', {
      releasedAt: '2026-03-31T09:00:00Z',
      supervisionContinues: false,
    });
    const events = [...LIFECYCLE, again];
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        (order) => {
          const state = foldCase(ID, order, []);
          expect(state).toMatchObject({
            status: 'released',
            releasedAt: '2026-03-31T09:00:00Z',
            supervision: false,
            causes: { released: { id: 'e6' } },
          });
        },
      ),
    );
  });

  it('ends in withdrawn whenever the withdrawal came', () => {
    const withdrawal = event(9, DetentionEventType.NOTIFICATION_WITHDRAWN, '2026-01-07T00:00:00Z', {
      reason: 'x',
    });
    expect(foldCase(ID, [withdrawal, ...LIFECYCLE], []).status).toBe('withdrawn');
  });
});

describe('AftercarePolicy', () => {
  const policy = (over: Partial<TenantPolicyConfig> = {}) => Object.assign(new TenantPolicyConfig(), over);
  const rules = new AftercarePolicy();
  const detained = foldCase(ID, LIFECYCLE.slice(0, 1), []); // 27 days expected

  it('owes aftercare by length and by flags, per policy', () => {
    expect(rules.aftercareRequired(detained, policy({ minimumDetentionDays: 90 }))).toBe(false);
    expect(rules.aftercareRequired(detained, policy({ minimumDetentionDays: 10 }))).toBe(true);
    const topX = { ...detained, flags: { topX: true, pga: false, bij: false } };
    expect(
      rules.aftercareRequired(topX, policy({ minimumDetentionDays: 90, alwaysQualifyingFlags: ['topX'] })),
    ).toBe(true);
  });

  it('counts deadlines in Dutch working days: threatened on the last day, missed after', () => {
    const notifiedAt = new Date('2026-01-05T09:00:00Z'); // Monday
    const at = (iso: string) =>
      rules
        .deadlines(detained, policy(), { notifiedAt, dpanAnsweredAt: null, now: new Date(iso) }, true)
        .find((d) => d.deadline === 'municipal-answer');
    expect(at('2026-01-09T10:00:00Z')).toEqual({
      deadline: 'municipal-answer',
      dueOn: '2026-01-12',
      status: 'pending',
    });
    expect(at('2026-01-12T10:00:00Z')?.status).toBe('threatened');
    expect(at('2026-01-13T10:00:00Z')?.status).toBe('missed');
  });

  it('opens the warm-handover window the configured days before the expected release', () => {
    expect(rules.warmHandoverOpensOn(detained, policy({ warmHandoverDaysBeforeRelease: 30 }))).toBe(
      '2026-01-02',
    );
  });
});

/** Issue 9: a stored result the fold cannot use leaves the case projectable, with a reason. */
describe('foldCase with malformed results', () => {
  const result = (id: string, time: unknown, data: unknown) =>
    ({ specversion: '1.0', id, source: 'urn:nl:nazorg-hub/connectors/brp', type: 'x', time, data }) as never;
  const good = result('r-good', '2026-01-06T08:00:00Z', {
    detentionId: ID,
    recipientId: 'brp-1',
    outcome: 'completed',
    details: { registered: true },
  });

  it('leaves out a numeric time, data or details of the wrong type, and says why', () => {
    const skipped: string[] = [];
    const state = foldCase(
      ID,
      LIFECYCLE,
      [
        result('r-1', 1767686400000, { outcome: 'completed', details: null }),
        result('r-2', 1767686400001, { outcome: 'completed', details: null }),
        result('r-3', '2026-01-06T08:00:00Z', null),
        result('r-4', '2026-01-06T08:00:00Z', { outcome: 'completed', details: ['a'] }),
        good,
      ],
      (reason) => skipped.push(reason),
    );
    expect(state.results.map((r) => r.id)).toEqual(['r-good']);
    expect(skipped).toEqual([
      'left out a malformed result: time is not a string',
      'left out a malformed result: time is not a string',
      'left out a malformed result: data is not an object',
      'left out a malformed result: data.details is not an object',
    ]);
    expect(state).toEqual(foldCase(ID, LIFECYCLE, [good]));
  });

  it('folds a result without details as empty details', () => {
    const state = foldCase(ID, LIFECYCLE, [result('r-5', '2026-01-06T08:00:00Z', { outcome: 'completed' })]);
    expect(state.results[0].details).toEqual({});
  });
});
