import { readFileSync } from 'node:fs';
import { CloudEvent } from '@nazorg/contracts';

/** A scenario file: JSON lines, one CloudEvent per line; blank lines and `#` comments are skipped. */
export function readScenario(path: string): CloudEvent<object>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => JSON.parse(line) as CloudEvent<object>);
}
