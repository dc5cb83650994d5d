import { join } from 'node:path';
import { loadTenantsFile } from '@nazorg/config';
import {
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  validateDetentionEvent,
} from '@nazorg/contracts';
import { ScenarioReader } from './scenario.reader';

const ROOT = join(__dirname, '../../..');

describe('ScenarioReader', () => {
  const reader = new ScenarioReader();

  it('reads one event per line and skips blank lines and # comments', () => {
    const events = reader.parse(
      ['# a comment', '', '{"id":"a"}', '   ', '  # indented comment', '{"id":"b"}\r', ''].join('\n'),
    );
    expect(events).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('names the line of broken JSON without quoting it (it may hold personal data)', () => {
    expect(() => reader.parse('# x\n{"bsn":"999912343",')).toThrow('scenario line 2 is not valid JSON');
    expect(() => reader.parse('# x\n{"bsn":"999912343",')).not.toThrow(/999912343/);
    expect(() => reader.parse('[1,2]')).toThrow('scenario line 1 is not a JSON object');
  });
});

describe('the demo scenario (scenarios/demo.jsonl)', () => {
  const events = new ScenarioReader().read(join(ROOT, 'scenarios/demo.jsonl'));
  const tenants = loadTenantsFile(join(ROOT, 'config/tenants.demo.yaml'));
  const tenantOf = (code: string | null | undefined) =>
    tenants.tenants.find((t) => code != null && t.municipalities.includes(code))?.id;
  const starts = events
    .filter((e) => e.type === DetentionEventType.DETENTION_STARTED)
    .map((e) => e.data as DetentionStartedData);

  it('holds only events that pass the contract validation, with unique ids', () => {
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      const result = validateDetentionEvent(JSON.stringify(e));
      expect(result.valid ? [] : result.violations).toEqual([]);
    }
    expect(new Set(events.map((e) => `${e.source} ${e.id}`)).size).toBe(events.length);
  });

  it('starts each detention before its other events', () => {
    const seen = new Set<string>();
    for (const e of events) {
      if (e.type === DetentionEventType.DETENTION_STARTED) seen.add(e.subject);
      expect(seen.has(e.subject)).toBe(true);
    }
  });

  it('covers two tenants or more, a screening, a release into another tenant, a withdrawal, and no tenant', () => {
    const origins = new Map(starts.map((s) => [s.detentionId, s.municipalityOfOrigin]));
    expect(
      new Set(starts.map((s) => tenantOf(s.municipalityOfOrigin)).filter(Boolean)).size,
    ).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === DetentionEventType.SCREENING_COMPLETED)).toBe(true);
    expect(events.some((e) => e.type === DetentionEventType.NOTIFICATION_WITHDRAWN)).toBe(true);
    const intoOtherTenant = events
      .filter((e) => e.type === DetentionEventType.DETENTION_RELEASED)
      .map((e) => e.data as DetentionReleasedData)
      .filter((r) => {
        const to = tenantOf(r.destinationMunicipality);
        return to !== undefined && to !== tenantOf(origins.get(r.detentionId));
      });
    expect(intoOtherTenant.length).toBeGreaterThan(0);
    expect(starts.some((s) => tenantOf(s.municipalityOfOrigin) === undefined)).toBe(true);
  });
});
