import fc from 'fast-check';
import { ConnectorResultType } from '../events/hub-event-types';
import { RESULT_TYPES_OF_KIND, validateConnectorResult } from './connector-result.validator';

const NOW = new Date('2026-11-25T12:00:00Z');
const brp = () => ({
  specversion: '1.0',
  id: '5f0c7c4e-7a4b-5c1e-9d2f-1a2b3c4d5e6f',
  source: 'urn:nl:nazorg-hub/connectors/brp',
  type: ConnectorResultType.BRP_REGISTRATION_CHECKED,
  time: '2026-11-25T11:00:00.000Z',
  subject: 'DJI-2026-000123',
  datacontenttype: 'application/json',
  data: {
    detentionId: 'DJI-2026-000123',
    recipientId: 'brp-eemland-zuid',
    outcome: 'completed',
    details: {
      registered: true,
      registeredInMunicipalityOfOrigin: true,
      municipality: '0307',
      hasAddress: true,
      addressFunction: 'home',
      hasValidIdDocument: true,
      expectedAbsenceDays: 86,
      deregistrationRisk: false,
      addressInvestigation: false,
    },
  },
  correlationid: 'a1',
  causationid: 'b2',
  tenant: 'eemland-zuid',
  recipient: 'brp-eemland-zuid',
});
type Result = ReturnType<typeof brp>;
const paths = (input: unknown) => {
  const r = validateConnectorResult(typeof input === 'string' ? input : JSON.stringify(input), NOW);
  return r.valid ? [] : r.violations.map((v) => v.path);
};

describe('validateConnectorResult', () => {
  it('accepts a result as the brp connector sends it', () => expect(paths(brp())).toEqual([]));

  it.each([
    ['a numeric time', (r: Result) => ((r as Record<string, unknown>).time = 1764000000000), '$.time'],
    ['a time in 9999', (r: Result) => (r.time = '9999-12-31T00:00:00Z'), '$.time'],
    ['details null', (r: Result) => ((r.data as Record<string, unknown>).details = null), '$.data.details'],
    ['details an array', (r: Result) => ((r.data as Record<string, unknown>).details = []), '$.data.details'],
    [
      'an unknown detail',
      (r: Result) => ((r.data.details as Record<string, unknown>).extra = 1),
      '$.data.details.extra',
    ],
    [
      'a missing detail',
      (r: Result) => delete (r.data.details as Partial<Result['data']['details']>).registered,
      '$.data.details.registered',
    ],
    [
      'a detail of the wrong type',
      (r: Result) => ((r.data.details as Record<string, unknown>).registered = 'yes'),
      '$.data.details.registered',
    ],
    [
      'a null where none is allowed',
      (r: Result) => ((r.data.details as Record<string, unknown>).hasAddress = null),
      '$.data.details.hasAddress',
    ],
    ['an unknown outcome', (r: Result) => (r.data.outcome = 'maybe'), '$.data.outcome'],
    [
      'detentionId ".."',
      (r: Result) => ((r.data.detentionId = '..'), (r.subject = '..')),
      '$.data.detentionId',
    ],
    ['subject not the detention', (r: Result) => (r.subject = 'DJI-2026-000124'), '$.subject'],
    ['another kind as source', (r: Result) => (r.source = 'urn:nl:nazorg-hub/connectors/zorg'), '$.source'],
    ['an unknown type', (r: Result) => (r.type = 'nl.nazorghub.result.brp.other.v1' as never), '$.type'],
    ['recipient not data.recipientId', (r: Result) => (r.recipient = 'ops'), '$.recipient'],
    ['an id with a slash', (r: Result) => (r.id = 'a/b'), '$.id'],
  ])('rejects %s by path', (_, mutate, path) => {
    const r = brp();
    mutate(r);
    expect(paths(r)).toContain(path);
  });

  it('applies the structural limits first', () => {
    const text = JSON.stringify(brp()).replace(
      '"tenant":',
      `"x":${'['.repeat(5000)}${']'.repeat(5000)},"tenant":`,
    );
    expect(paths(text)).toHaveLength(1);
    expect(paths(JSON.stringify(brp()).replace('"id":"5f0c', '"id":"\\ud800","id":"5f0c'))).toContain('$.id');
  });

  it('every result type belongs to exactly one connector kind', () => {
    const listed = Object.values(RESULT_TYPES_OF_KIND).flat();
    expect([...listed].sort()).toEqual([...Object.values(ConnectorResultType)].sort());
    expect(RESULT_TYPES_OF_KIND.ops).toBeUndefined();
  });

  it('never throws and never names a value (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        fc.jsonValue(),
        (input, details) => {
          expect(() => validateConnectorResult(input, NOW)).not.toThrow();
          const r = brp();
          (r.data as Record<string, unknown>).details = details;
          const out = validateConnectorResult(JSON.stringify(r), NOW);
          if (!out.valid) for (const v of out.violations) expect(v.message).not.toContain('DJI-2026-000123');
        },
      ),
      { numRuns: 500 },
    );
  });
});
