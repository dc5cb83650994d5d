/**
 * The one polling helper of the tests: polls `condition` until it holds and throws when `timeoutMs`
 * passes first, naming `what` (or what `what()` says is still missing at that moment), unlike
 * `HubHarness.waitUntil`, which returns silently: a test that waits must fail when the awaited
 * state never comes.
 */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string | (() => Promise<string> | string) = 'condition',
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const detail = typeof what === 'string' ? what : await what();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
