// Feature detection in a real page: where WebAssembly SIMD (or WebAssembly itself) is missing,
// Network.create falls back to the js backend and says so, and asking for 'wasm' is an error that
// says why. Chromium is made to look like such an engine by a script that runs before the page's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { WITHOUT_SIMD, WITHOUT_WEBASSEMBLY } from './engines.js';
import { ROOT, UNBUNDLED, expectSameAsNode, nodeOutcome, openApp } from './example-app.js';
import { serve } from './serve.js';

/** An empty page that knows where 'engram' is. */
const BLANK = { '/index.html': '<!doctype html><script type="importmap">{ "imports": { "engram": "/dist/index.js" } }</script>' };

/** In the page: what Network.create chooses by itself, and what asking for 'wasm' does. */
const PROBE = `(async () => {
  const { Network, wasmSimdSupported } = await import('engram');
  const layers = [{ units: 2, activation: 'sigmoid' }, { units: 1 }];
  const net = await Network.create({ inputs: 2, layers, seed: 1 });
  let wasmError = null;
  try {
    await Network.create({ inputs: 2, layers, seed: 1, backend: 'wasm' });
  } catch (error) {
    wasmError = error.message;
  }
  return { simd: wasmSimdSupported(), backend: net.backend, wasmError };
})()`;

describe('feature detection in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function probe(init?: string) {
    const server = await serve(ROOT, BLANK);
    const page = await browser.newPage();
    try {
      if (init) await page.addInitScript(init);
      await page.goto(`${server.origin}/`);
      return await page.evaluate(PROBE);
    } finally {
      await page.close();
      await server.close();
    }
  }

  it('uses wasm where SIMD works', async () => {
    expect(await probe()).toEqual({ simd: true, backend: 'wasm', wasmError: null });
  });

  for (const [engine, init] of [['without WebAssembly SIMD', WITHOUT_SIMD], ['without WebAssembly', WITHOUT_WEBASSEMBLY]]) {
    it(`falls back to js ${engine}, and refuses an explicit 'wasm' with a reason`, async () => {
      const seen = (await probe(init)) as { simd: boolean; backend: string; wasmError: string | null };
      expect({ simd: seen.simd, backend: seen.backend }).toEqual({ simd: false, backend: 'js' });
      expect(seen.wasmError).toMatch(/backend 'wasm' was requested, but this JavaScript engine does not support WebAssembly SIMD/);
      expect(seen.wasmError).toMatch(/backend: 'js'/);
    });
  }

  it('trains the example app on the fallback to the same numbers as Node on js', async () => {
    const page = await openApp(browser, ROOT, '/examples/web-app/', UNBUNDLED, WITHOUT_SIMD);
    expect(Object.keys(page.results)).toEqual(['js']);
    expectSameAsNode(page.results, nodeOutcome('plain').results, 'without SIMD');
  });
});
