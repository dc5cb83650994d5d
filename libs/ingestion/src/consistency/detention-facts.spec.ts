import { DetentionEvent, DetentionEventType } from '@nazorg/contracts';
import {
  checkAgainstKnownFacts,
  ConsistencyMessages,
  DetentionFacts,
  detentionFactsOf,
} from './detention-facts';

const event = (
  type: DetentionEventType,
  data: Record<string, unknown>,
  time = '2026-11-20T09:00:00Z',
): DetentionEvent =>
  ({
    specversion: '1.0',
    id: `${type}-${JSON.stringify(data)}`,
    source: 'urn:nl:dji:injus',
    type,
    time,
    subject: 'DJI-1',
    datacontenttype: 'application/json',
    data: { detentionId: 'DJI-1', ...data },
  }) as DetentionEvent;

const started = (startedAt: string, expectedReleaseDate?: string, time?: string) =>
  event(DetentionEventType.DETENTION_STARTED, { startedAt, expectedReleaseDate }, time);
const released = (releasedAt: string) => event(DetentionEventType.DETENTION_RELEASED, { releasedAt });
const screened = (screenedAt: string) => event(DetentionEventType.SCREENING_COMPLETED, { screenedAt });
const transferred = (transferredAt: string) =>
  event(DetentionEventType.DETENTION_TRANSFERRED, { transferredAt });
const scheduled = (expectedReleaseDate: string) =>
  event(DetentionEventType.RELEASE_SCHEDULED, { expectedReleaseDate });
const withdrawn = () => event(DetentionEventType.NOTIFICATION_WITHDRAWN, { reason: 'wrong person' });

const START = '2026-11-20T08:30:00Z';
const known = (events: DetentionEvent[], tenantId: string | null = 'eemland-zuid'): DetentionFacts =>
  detentionFactsOf(
    events,
    events.some((e) => e.type === DetentionEventType.DETENTION_STARTED) ? { tenantId } : null,
  );

describe('checkAgainstKnownFacts: dates agree with the recorded start', () => {
  it.each([
    ['release', released('2000-01-01T00:00:00Z'), '$.data.releasedAt'],
    ['screening', screened('2026-11-19T10:00:00Z'), '$.data.screenedAt'],
    ['transfer', transferred('2026-11-20T08:29:59Z'), '$.data.transferredAt'],
    ['expected release date', scheduled('2026-11-19'), '$.data.expectedReleaseDate'],
  ])('refuses a %s before the start, naming the field and no value', (_, newcomer, path) => {
    const violations = checkAgainstKnownFacts({ event: newcomer }, known([started(START)]));
    expect(violations).toEqual([{ path, message: ConsistencyMessages.beforeStart }]);
    expect(JSON.stringify(violations)).not.toMatch(/20\d\d|2000/);
  });

  it.each([
    ['release at the very moment of the start', released(START)],
    ['release later', released('2027-02-14T10:00:00Z')],
    ['screening later', screened('2026-11-28T10:00:00Z')],
    ['transfer later', transferred('2026-12-01T10:00:00Z')],
    ['expected release on the day of the start', scheduled('2026-11-20')],
    ['withdrawal', withdrawn()],
  ])('accepts a %s', (_, newcomer) => {
    expect(checkAgainstKnownFacts({ event: newcomer }, known([started(START)]))).toEqual([]);
  });

  it('counts an expected release date in Dutch calendar days: 23:30 UTC is already the next day', () => {
    const lateEvening = known([started('2026-11-20T23:30:00Z')]);
    expect(checkAgainstKnownFacts({ event: scheduled('2026-11-20') }, lateEvening)).toHaveLength(1);
    expect(checkAgainstKnownFacts({ event: scheduled('2026-11-21') }, lateEvening)).toEqual([]);
  });

  it('accepts anything while no start is known (it is checked when the start arrives)', () => {
    for (const newcomer of [released('2000-01-01T00:00:00Z'), screened('2000-01-01T00:00:00Z')])
      expect(checkAgainstKnownFacts({ event: newcomer }, known([screened('2026-11-28T10:00:00Z')]))).toEqual(
        [],
      );
  });

  it('refuses a start arriving after the facts it contradicts, once per kind of fact', () => {
    const facts = known([
      released('2026-11-01T00:00:00Z'),
      released('2026-11-02T00:00:00Z'),
      screened('2026-11-03T00:00:00Z'),
      transferred('2026-11-25T00:00:00Z'),
      scheduled('2026-11-19'),
    ]);
    expect(checkAgainstKnownFacts({ event: started(START), tenantId: 'eemland-zuid' }, facts)).toEqual([
      { path: '$.data.startedAt', message: ConsistencyMessages.startAfter('releasedAt') },
      { path: '$.data.startedAt', message: ConsistencyMessages.startAfter('screenedAt') },
      { path: '$.data.startedAt', message: ConsistencyMessages.startAfter('expectedReleaseDate') },
    ]);
  });

  it('checks a later-sent start (a correction: it becomes the recorded start) against every stored date', () => {
    const facts = known([started(START, '2027-02-14', '2026-11-20T09:00:00Z')]);
    const correction = (startedAt: string) => started(startedAt, undefined, '2026-11-21T09:00:00Z');
    expect(
      checkAgainstKnownFacts({ event: correction('2027-03-01T00:00:00Z'), tenantId: 'eemland-zuid' }, facts),
    ).toEqual([{ path: '$.data.startedAt', message: ConsistencyMessages.startAfter('expectedReleaseDate') }]);
    expect(
      checkAgainstKnownFacts({ event: correction('2026-11-21T08:00:00Z'), tenantId: 'eemland-zuid' }, facts),
    ).toEqual([]);
  });

  it('checks an earlier-sent start only where it still counts: its expected release date', () => {
    const facts = known([started(START, undefined, '2026-11-20T09:00:00Z')]);
    const older = (startedAt: string, expected?: string) =>
      started(startedAt, expected, '2026-11-19T09:00:00Z');
    expect(
      checkAgainstKnownFacts(
        { event: older('2026-11-10T00:00:00Z', '2026-11-15'), tenantId: 'eemland-zuid' },
        facts,
      ),
    ).toEqual([{ path: '$.data.expectedReleaseDate', message: ConsistencyMessages.beforeStart }]);
    // Its start date is not the case's: a later-sent start replaced it.
    expect(
      checkAgainstKnownFacts({ event: older('2027-05-01T00:00:00Z'), tenantId: 'eemland-zuid' }, facts),
    ).toEqual([]);
  });

  it('lets a refused event through once a corrected start replaced the wrong one', () => {
    const wrong = started('2026-11-25T08:00:00Z', undefined, '2026-11-25T09:00:00Z');
    const screening = screened('2026-11-22T10:00:00Z');
    expect(checkAgainstKnownFacts({ event: screening }, known([wrong]))).toHaveLength(1);
    const corrected = started('2026-11-20T08:00:00Z', undefined, '2026-11-26T09:00:00Z');
    expect(checkAgainstKnownFacts({ event: corrected, tenantId: 'eemland-zuid' }, known([wrong]))).toEqual(
      [],
    );
    expect(checkAgainstKnownFacts({ event: screening }, known([wrong, corrected]))).toEqual([]);
    expect(checkAgainstKnownFacts({ event: screening }, known([corrected, wrong]))).toEqual([]);
  });

  it('is the same whichever of two contradicting events came first: the newcomer is refused', () => {
    const start = started(START);
    const release = released('2000-01-01T00:00:00Z');
    expect(checkAgainstKnownFacts({ event: release }, known([start]))).toHaveLength(1);
    expect(checkAgainstKnownFacts({ event: start, tenantId: 'eemland-zuid' }, known([release]))).toHaveLength(
      1,
    );
  });
});

describe("checkAgainstKnownFacts: a detention's tenant does not silently change", () => {
  const first = known([started(START)], 'eemland-zuid');
  const second = started('2026-11-20T09:00:00Z');

  it('refuses a later start that names another tenant, or no tenant', () => {
    for (const tenantId of ['westland', null]) {
      expect(checkAgainstKnownFacts({ event: second, tenantId }, first)).toEqual([
        { path: '$.data.municipalityOfOrigin', message: ConsistencyMessages.otherTenant },
      ]);
    }
  });

  it('accepts a later start within the same tenant (another municipality of the same region)', () => {
    expect(checkAgainstKnownFacts({ event: second, tenantId: 'eemland-zuid' }, first)).toEqual([]);
  });

  it('accepts the first tenant of a detention no tenant has seen', () => {
    const unrouted = known([started(START)], null);
    expect(checkAgainstKnownFacts({ event: second, tenantId: 'westland' }, unrouted)).toEqual([]);
  });

  it('accepts a first start whatever its tenant (events before it carry none)', () => {
    const before = known([screened('2026-11-28T10:00:00Z')]);
    expect(checkAgainstKnownFacts({ event: second, tenantId: 'westland' }, before)).toEqual([]);
  });

  it('keeps a new start sent after a withdrawal whose erasure is still pending for replay', () => {
    const facts = known([
      started(START),
      event(DetentionEventType.NOTIFICATION_WITHDRAWN, {}, '2026-11-21T09:00:00Z'),
    ]);
    expect(
      checkAgainstKnownFacts(
        { event: started(START, undefined, '2026-11-22T09:00:00Z'), tenantId: 'westland' },
        facts,
      ),
    ).toEqual([{ path: '$', message: ConsistencyMessages.withdrawalPending }]);
    // One sent before the withdrawal is part of the withdrawn notification: checked as usual.
    expect(
      checkAgainstKnownFacts(
        { event: started(START, undefined, '2026-11-20T10:00:00Z'), tenantId: 'eemland-zuid' },
        facts,
      ),
    ).toEqual([]);
  });
});
