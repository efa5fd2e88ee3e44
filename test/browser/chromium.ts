// One way to start the browser for every browser test: Debian's chromium driven by playwright-core
// (`npx playwright install` cannot download browsers here, so the executable is the system one).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.ENGRAM_CHROMIUM ?? '/usr/bin/chromium';

/** True when a chromium executable is present; `.ci/run` installs it with apt-get when it is not. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A headless chromium with no network chatter of its own (no updates, no first-run pages). */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium()) throw new Error(`no chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set ENGRAM_CHROMIUM`);
  return await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
