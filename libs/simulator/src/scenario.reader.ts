import { readFileSync } from 'node:fs';
import { CloudEvent } from '@nazorg/contracts';

/**
 * A scenario file for replay: JSON lines, one CloudEvent per line; blank lines and lines starting
 * with `#` are skipped. Events are not validated here: a scenario may hold deliberately invalid
 * events, to exercise the hub's dead-letter path.
 */
export class ScenarioReader {
  read(path: string): CloudEvent<object>[] {
    return this.parse(readFileSync(path, 'utf8'));
  }

  parse(text: string): CloudEvent<object>[] {
    const events: CloudEvent<object>[] = [];
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // The line number only: the line itself may hold personal data.
        throw new Error(`scenario line ${index + 1} is not valid JSON`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(`scenario line ${index + 1} is not a JSON object`);
      }
      events.push(parsed as CloudEvent<object>);
    });
    return events;
  }
}
