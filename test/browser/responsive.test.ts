// trainAsync in a page: requestAnimationFrame keeps firing while a network trains, because the training
// loop hands the thread back between slices of work (src/training.ts paces them at about 8 ms). train,
// which holds the thread, is measured too, to show that the measurement sees a blocked page. Nothing here
// depends on how fast the machine is: frame rates are compared with the same page's idle rate, and the
// longest gap with the training's own slice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { ROOT } from './example-app.js';
import { serve, type Served } from './serve.js';

/** network.ts's ASYNC_SLICE_MS: how long trainAsync works before it yields. */
const SLICE_MS = 8;

interface Span {
  frames: number;
  longestGap: number;
  elapsed: number;
}

describe('trainAsync in Chromium', () => {
  let browser: Browser;
  let server: Served;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await serve(ROOT);
    page = await browser.newPage();
    await page.goto(`${server.origin}/test/browser/pages/responsive.html`);
    await page.waitForFunction('window.measureFrames !== undefined');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const backend of ['wasm', 'js']) {
    it(`keeps requestAnimationFrame firing while it trains (${backend})`, async () => {
      const seen = (await page.evaluate(`measureFrames('${backend}', 500, 1500)`)) as Record<'idle' | 'trainAsync' | 'train', Span>;
      const rate = (span: Span) => span.frames / span.elapsed;
      const figures = JSON.stringify(seen);
      expect(seen.idle.frames, figures).toBeGreaterThan(5);
      // Generous bounds: on a machine busy with other work a slice takes longer, and frames are lost
      // whatever the page does. An epoch on js takes hundreds of ms, so without pauses inside epochs the
      // rate would fall far below these.
      expect(rate(seen.trainAsync), figures).toBeGreaterThanOrEqual(rate(seen.idle) / 4);
      expect(seen.trainAsync.longestGap, figures).toBeLessThanOrEqual(60 * SLICE_MS);
      // train gives no frame until it returns.
      expect(seen.train.longestGap, figures).toBeGreaterThanOrEqual(seen.train.elapsed / 2);
    });
  }
});
