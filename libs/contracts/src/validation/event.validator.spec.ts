import { validateDetentionEvent } from './event.validator';

const NOW = new Date('2026-11-25T12:00:00Z');
const started = () => ({
  specversion: '1.0',
  id: 'e-1',
  source: 'urn:nl:dji:injus',
  type: 'nl.dji.injus.detention.started.v1',
  time: '2026-11-25T08:00:00Z',
  subject: 'DJI-2026-000001',
  datacontenttype: 'application/json',
  data: {
    detentionId: 'DJI-2026-000001',
    person: {
      bsn: '999990019',
      givenNames: 'Piet',
      familyName: 'Vries',
      birthDate: '1991-04-02',
      gender: 'M',
    },
    institution: { code: 'PI-NWG', name: 'PI Nieuwegein' },
    startedAt: '2026-11-20T08:30:00Z',
    legalStatus: 'veroordeeld',
    expectedReleaseDate: '2027-02-14',
    municipalityOfOrigin: '0307',
    caseManager: { name: 'C' },
    flags: { topX: false, pga: false, bij: false },
  },
});
const paths = (input: unknown) => {
  const r = validateDetentionEvent(JSON.stringify(input), NOW);
  return r.valid ? [] : r.violations.map((v) => v.path);
};

describe('validateDetentionEvent', () => {
  it('accepts a valid event', () => expect(paths(started())).toEqual([]));

  it.each([
    [
      'future start',
      (e: ReturnType<typeof started>) => (e.data.startedAt = '2026-11-27T12:00:00Z'),
      '$.data.startedAt',
    ],
    [
      'release before start',
      (e: ReturnType<typeof started>) => (e.data.expectedReleaseDate = '2026-11-01'),
      '$.data.expectedReleaseDate',
    ],
    [
      'impossible date',
      (e: ReturnType<typeof started>) => (e.data.person.birthDate = '1991-02-30'),
      '$.data.person.birthDate',
    ],
    [
      '3-digit municipality',
      (e: ReturnType<typeof started>) => (e.data.municipalityOfOrigin = '307'),
      '$.data.municipalityOfOrigin',
    ],
    ['subject mismatch', (e: ReturnType<typeof started>) => (e.subject = 'DJI-2026-000002'), '$.subject'],
    ['wrong source for type', (e: ReturnType<typeof started>) => (e.source = 'urn:nl:dji:dpan'), '$.source'],
    ['bad spec version', (e: ReturnType<typeof started>) => (e.specversion = '0.3'), '$.specversion'],
    ['time without zone', (e: ReturnType<typeof started>) => (e.time = '2026-11-25T08:00:00'), '$.time'],
  ])('rejects %s at its path', (_, mutate, path) => {
    const e = started();
    mutate(e);
    expect(paths(e)).toContain(path);
  });

  it('never quotes a value in a message, even for broken JSON', () => {
    const e = started();
    e.data.person.bsn = '123456789';
    const r = validateDetentionEvent(JSON.stringify(e), NOW);
    expect(JSON.stringify(r)).not.toContain('123456789');
    const broken = validateDetentionEvent('{"bsn": "999990019", oops', NOW);
    expect(JSON.stringify(broken)).not.toContain('999990019');
  });

  it('refuses NUL characters by path, in values and in keys (PostgreSQL cannot store them)', () => {
    const e = started();
    e.data.caseManager.name = 'x\u0000y';
    (e.data as Record<string, unknown>)['k\u0000'] = 1;
    expect(paths(e)).toEqual(expect.arrayContaining(['$.data.caseManager.name', '$.data.{key 10}']));
  });

  it('rejects a body over 256 KiB without parsing it', () => {
    expect(paths('x'.repeat(256 * 1024 + 1))).toEqual(['$']);
  });

  it.each([
    [
      'detentionId ".."',
      (e: ReturnType<typeof started>) => ((e.data.detentionId = '..'), (e.subject = '..')),
      '$.data.detentionId',
    ],
    [
      'detentionId with a slash',
      (e: ReturnType<typeof started>) => (e.data.detentionId = 'DJI-2026/000001'),
      '$.data.detentionId',
    ],
    ['event id with a space', (e: ReturnType<typeof started>) => (e.id = 'a b'), '$.id'],
    ['event id of 129 characters', (e: ReturnType<typeof started>) => (e.id = 'a'.repeat(129)), '$.id'],
    ['time 9999-12-31', (e: ReturnType<typeof started>) => (e.time = '9999-12-31T00:00:00Z'), '$.time'],
    ['time before 1990', (e: ReturnType<typeof started>) => (e.time = '1989-12-31T23:59:59Z'), '$.time'],
    [
      'startedAt before 1990',
      (e: ReturnType<typeof started>) => (e.data.startedAt = '1970-01-01T00:00:00Z'),
      '$.data.startedAt',
    ],
    [
      'expected release 31 years ahead',
      (e: ReturnType<typeof started>) => (e.data.expectedReleaseDate = '2057-12-01'),
      '$.data.expectedReleaseDate',
    ],
    [
      'birth date in the future',
      (e: ReturnType<typeof started>) => (e.data.person.birthDate = '2027-01-01'),
      '$.data.person.birthDate',
    ],
    [
      'birth date before 1900',
      (e: ReturnType<typeof started>) => (e.data.person.birthDate = '1899-12-31'),
      '$.data.person.birthDate',
    ],
    [
      'institution code in lower case',
      (e: ReturnType<typeof started>) => (e.data.institution.code = 'pi nwg'),
      '$.data.institution.code',
    ],
  ])('plausible facts: rejects %s', (_, mutate, path) => {
    const e = started();
    mutate(e);
    expect(paths(e)).toContain(path);
  });

  it('limits before meaning: a lone surrogate id, deep nesting and duplicate keys are field-level violations', () => {
    const text = JSON.stringify(started());
    const textPaths = (t: string) => {
      const v = validateDetentionEvent(t, NOW);
      return v.valid ? [] : v.violations.map((x) => x.path);
    };
    expect(textPaths(text.replace('"id":"e-1"', '"id":"\\ud800"'))).toEqual(['$.id']);
    const deep = text.replace('"flags":', `"x":${'['.repeat(5000)}${']'.repeat(5000)},"flags":`);
    const r = validateDetentionEvent(deep, NOW);
    expect(r.valid).toBe(false);
    if (!r.valid) {
      expect(r.violations[0].message).toContain('nested deeper');
      // The envelope still indexes the dead letter.
      expect(r.hints).toMatchObject({ id: 'e-1', subject: 'DJI-2026-000001' });
    }
    expect(textPaths(text.replace('"id":"e-1"', '"id":"e-1","id":"e-2"'))).toEqual(['$.id']);
  });
});
