// The playground page, as a visitor meets it: Vite builds playground/ for production (the page imports
// the built package by its name), Vite's preview server serves it, and headless chromium picks the
// spiral, ticks the speed comparison, trains, and looks at what the page drew.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from './chromium.js';
import { servePlayground, type PlaygroundPage } from './playground-page.js';

const SCREENSHOT = fileURLToPath(new URL('./screenshots/playground.png', import.meta.url));
/** Train at least this long, and at least MIN_EPOCHS epochs, however busy the machine is. */
const TRAIN_MS = 3000;
const MIN_EPOCHS = 60;

describe.skipIf(!hasChromium())('the playground page', () => {
  let served: PlaygroundPage;
  let browser: Browser;

  beforeAll(async () => {
    served = await servePlayground();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('trains a spiral on both backends: the loss curve falls and the boundary is drawn in both colours', async () => {
    const page = await browser.newPage({ viewport: { width: 1320, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(served.url);
    await page.evaluate(() => window.playground.ready);

    await page.selectOption('#dataset', 'spiral');
    await page.waitForFunction(() => window.playground.state().dataset === 'spiral');
    await page.check('#compare');
    await page.waitForFunction(() => window.playground.state().comparing);

    await page.click('#train');
    const started = Date.now();
    await page.waitForFunction((epochs) => window.playground.state().epoch >= epochs, MIN_EPOCHS, { timeout: 20_000 });
    await page.waitForTimeout(Math.max(0, TRAIN_MS - (Date.now() - started)));
    await page.click('#train');
    const state = await page.evaluate(() => window.playground.state());

    expect(errors).toEqual([]);
    expect(state).toMatchObject({ dataset: 'spiral', backend: 'wasm', comparing: true, running: false, diverged: false });
    // The curve as the chart draws it: the latest bin well below the first.
    const { losses } = state.curve;
    expect(losses.length).toBeGreaterThan(2);
    expect(losses.at(-1)!, `loss curve ${losses[0]} → ${losses.at(-1)}`).toBeLessThan(losses[0] / 2);
    // It was drawn live, frame after frame, not once at the end.
    expect(state.frames).toBeGreaterThan(2);
    // Both backends were timed, and the js twin learned the spiral too. Not to the same last loss: on
    // these settings (Adam, 0.01) the loss spikes now and then (up to 0.1 from 1e-7), and once rounding
    // (f32 sums against the js backend's f64) has separated the two runs, their spikes come at
    // different epochs. In Node the gap read 1.8e-3 at epoch 100 and 2.7e-2 at 380, and this test has
    // failed on it (0.016, 0.106). The twin keeping step over short bursts is trainer.test.ts's.
    expect(state.speeds.wasm).toBeGreaterThan(0);
    expect(state.speeds.js).toBeGreaterThan(0);
    expect(state.twinLoss!, `twin ${state.twinLoss}, first bin ${losses[0]}`).toBeLessThan(losses[0] / 2);

    const pixels = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#boundary')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let orange = 0;
      let blue = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        colours.add((r << 16) | (g << 8) | b);
        if (r - b > 40) orange++;
        else if (b - r > 40) blue++;
      }
      return { total: data.length / 4, orange, blue, colours: colours.size };
    });
    expect(pixels.colours).toBeGreaterThan(100);
    expect(pixels.orange / pixels.total, JSON.stringify(pixels)).toBeGreaterThan(0.15);
    expect(pixels.blue / pixels.total, JSON.stringify(pixels)).toBeGreaterThan(0.15);

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });
});
