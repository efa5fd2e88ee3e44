// `import { Network } from 'engram'` in a page, three ways: dist/ served as plain ES modules (an import
// map names the package), a Vite production build and an esbuild bundle, neither configured. Each runs the
// example app (examples/web-app) in headless Chromium, and its numbers must be Node's for the same seeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { launchChromium } from './chromium.js';
import { WITHOUT_RELAXED_SIMD } from './engines.js';
import {
  ACROSS_BACKENDS, EXAMPLE_APP, ROOT, UNBUNDLED, expectSameAsNode, expectSameRun, nodeOutcome, openApp, type Outcome,
} from './example-app.js';

describe('the example app in Chromium', () => {
  let browser: Browser;
  let temp: string;
  const node: Partial<Record<'relaxed' | 'plain', Outcome>> = {};
  const reference = (build: 'relaxed' | 'plain') => (node[build] ??= nodeOutcome(build));

  beforeAll(async () => {
    browser = await launchChromium();
    temp = mkdtempSync(join(tmpdir(), 'engram-web-app-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('as plain ES modules: bit-identical to Node on wasm (relaxed-SIMD build), js within 1e-4', async () => {
    const page = await openApp(browser, ROOT, '/examples/web-app/', UNBUNDLED);
    expect(Object.keys(page.results)).toEqual(['wasm', 'js']);
    const expected = reference('relaxed');
    expect({ page: page.relaxed, node: expected.relaxed }, 'both engines load the relaxed-SIMD build').toEqual({ page: true, node: true });
    expectSameAsNode(page.results, expected.results, 'plain ES modules');
  });

  it('as plain ES modules where relaxed SIMD is missing: the plain SIMD build, bit-identical to Node', async () => {
    const page = await openApp(browser, ROOT, '/examples/web-app/', UNBUNDLED, WITHOUT_RELAXED_SIMD);
    const expected = reference('plain');
    expect({ page: page.relaxed, node: expected.relaxed }).toEqual({ page: false, node: false });
    expectSameAsNode(page.results, expected.results, 'plain ES modules, plain SIMD');
  });

  it('built by Vite with no configuration: the same numbers', async () => {
    const outDir = join(temp, 'vite');
    await viteBuild({ root: EXAMPLE_APP, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const page = await openApp(browser, outDir, '/');
    expect(Object.keys(page.results)).toEqual(['wasm', 'js']);
    expectSameAsNode(page.results, reference('relaxed').results, 'Vite build');
  });

  it('bundled by esbuild with no configuration: the same numbers', async () => {
    const outdir = join(temp, 'esbuild');
    await esbuild({ entryPoints: [join(EXAMPLE_APP, 'main.js')], bundle: true, format: 'esm', outdir, logLevel: 'silent' });
    copyFileSync(join(EXAMPLE_APP, 'index.html'), join(outdir, 'index.html'));
    const page = await openApp(browser, outdir, '/');
    expect(Object.keys(page.results)).toEqual(['wasm', 'js']);
    expectSameAsNode(page.results, reference('relaxed').results, 'esbuild bundle');
  });

  it('trains the same networks on both backends to within 1e-4', () => {
    const { wasm, js } = reference('relaxed').results;
    for (const name of ['xor', 'worked'] as const) expectSameRun(js[name], wasm[name], `${name}, js against wasm`, ACROSS_BACKENDS);
  });
});
