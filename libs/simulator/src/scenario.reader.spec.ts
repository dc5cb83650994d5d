import { validateDetentionEvent } from '@nazorg/contracts';
import { readScenario } from './scenario.reader';

describe('the demo scenario', () => {
  it('holds only valid events, comments skipped', () => {
    const events = readScenario(`${__dirname}/../../../scenarios/demo.jsonl`);
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      const result = validateDetentionEvent(JSON.stringify(e));
      expect(result.valid ? [] : result.violations).toEqual([]);
    }
  });
});
