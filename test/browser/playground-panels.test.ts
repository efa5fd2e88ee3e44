// The playground's Memory and Saliency panels in headless chromium: the pseudo-inverse memory repairs
// ten digits with a fifth of their pixels flipped, and a classifier trained in the page draws a heat map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from './chromium.js';
import { servePlayground, type PlaygroundPage } from './playground-page.js';

const screenshot = (name: string) => fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url));

/** The canvas's pixels as 0xRRGGBB numbers. */
function canvasPixels(page: Page, selector: string): Promise<number[]> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const pixels: number[] = [];
    for (let i = 0; i < data.length; i += 4) pixels.push((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return pixels;
  }, selector);
}

describe.skipIf(!hasChromium())('the playground Memory and Saliency panels', () => {
  let served: PlaygroundPage;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    served = await servePlayground();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(served.url);
    await page.evaluate(() => window.playground.ready);
    mkdirSync(join(screenshot('memory'), '..'), { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('the pseudo-inverse memory recalls all ten digits exactly from 20% flipped pixels, and draws them so', async () => {
    await page.selectOption('#memory-rule', 'pseudoinverse');
    await page.fill('#memory-noise', '0.2');
    await page.click('#memory-recall');
    await page.waitForFunction(() => window.playground.memory()!.results.length === 10);
    const state = await page.evaluate(() => window.playground.memory()!);

    expect(errors).toEqual([]);
    expect(state).toMatchObject({ rule: 'pseudoinverse', noise: 0.2, recalledWith: { rule: 'pseudoinverse', backend: 'wasm' } });
    expect(state.flipped).toEqual(Array(10).fill(Math.round(0.2 * 784)));
    state.results.forEach((result, d) => {
      expect(result, `digit ${d}`).toMatchObject({ exact: true, converged: true, pixelsRight: 784 });
    });
    // What the canvases show: each recalled picture is the stored one, pixel for pixel; each cue is not.
    for (let d = 0; d < 10; d++) {
      const stored = await canvasPixels(page, `canvas[data-row="stored"][data-digit="${d}"]`);
      const damaged = await canvasPixels(page, `canvas[data-row="damaged"][data-digit="${d}"]`);
      const recalled = await canvasPixels(page, `canvas[data-row="recalled"][data-digit="${d}"]`);
      expect(new Set(stored).size, `digit ${d}: black and white`).toBe(2);
      expect(recalled, `digit ${d}`).toEqual(stored);
      expect(damaged, `digit ${d}`).not.toEqual(stored);
    }
    await page.locator('#memory').screenshot({ path: screenshot('memory') });
  });

  it('trains a digit classifier in the page, then draws a test digit and its attribution heat map', async () => {
    await page.selectOption('#saliency-epochs', '5');
    await page.click('#saliency-train');
    await page.waitForFunction(() => window.playground.saliency()!.drawn, undefined, { timeout: 30_000 });
    const state = await page.evaluate(() => window.playground.saliency()!);

    expect(errors).toEqual([]);
    expect(state).toMatchObject({ training: false, epochs: 5, method: 'integratedGradients', index: 0 });
    expect(state.accuracy!, 'test accuracy; chance is 10%').toBeGreaterThan(0.5);
    expect(state.predicted).toBeGreaterThanOrEqual(0);
    expect(state.probability).toBeGreaterThan(0.1);

    const map = await canvasPixels(page, '#saliency-map');
    const colours = new Set(map);
    const red = map.filter((p) => (p >> 16) - (p & 0xff) > 40).length;
    const blue = map.filter((p) => (p & 0xff) - (p >> 16) > 40).length;
    expect(colours.size, 'distinct colours in the heat map').toBeGreaterThan(20);
    expect(red + blue, JSON.stringify({ red, blue })).toBeGreaterThan(map.length / 20);
    expect(await page.textContent('#saliency-stats')).toContain(`read as ${state.predicted}`);

    // Another digit and the other method redraw the map.
    await page.fill('#saliency-index', '7');
    await page.selectOption('#saliency-method', 'gradientTimesInput');
    const next = await page.evaluate(() => window.playground.saliency()!);
    expect(next).toMatchObject({ index: 7, method: 'gradientTimesInput', drawn: true });
    expect(await canvasPixels(page, '#saliency-map')).not.toEqual(map);
    await page.locator('#saliency').screenshot({ path: screenshot('saliency') });
  });
});
