import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Every console screenshot of a test run goes here (git-ignored), one file per view. */
export const CONSOLE_SHOTS = join(__dirname, '..', '..', 'test-artifacts', 'console');

/** Debian's Chromium (scripts/infra/chromium.sh), never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/** A browser context logged in to the console at `url` with `token`, as a person would. */
export async function consoleLogin(browser: Browser, url: string, token: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await context.newPage();
  await p.goto(`${url}/`);
  await p.fill('input[name=token]', token);
  await Promise.all([p.waitForURL(`${url}/flows`), p.click('form.login button')]);
  await p.close();
  return context;
}

export const consoleShot = (p: Page, name: string) =>
  p.screenshot({ path: join(CONSOLE_SHOTS, `${name}.png`), fullPage: true });
