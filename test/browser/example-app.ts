// The example app (examples/web-app) as the browser tests run it: its results in a page, the same
// training in Node for reference, and the comparisons between them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_RELAXED_SIMD, WITHOUT_RELAXED_SIMD } from './engines.js';
import { serve } from './serve.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_APP = fileURLToPath(new URL('../../examples/web-app/', import.meta.url));
const TRAIN_URL = new URL('../../examples/web-app/train.js', import.meta.url).href;

/**
 * The app unbundled, served from the repository root: its own index.html with an import map that points
 * 'engram' at the built package (a page at /examples/web-app/).
 */
export const UNBUNDLED: Record<string, string> = {
  '/examples/web-app/index.html': readFileSync(`${EXAMPLE_APP}index.html`, 'utf8').replace(
    '<head>',
    '<head>\n    <script type="importmap">{ "imports": { "engram": "/dist/index.js" } }</script>',
  ),
};

/** What examples/web-app/train.js returns for one network. */
export interface Run {
  backend: string;
  history: number[];
  weights: { kernel: number[]; bias: number[] }[];
  predictions: number[];
}
/** The example app's results (window.engramResults): per backend, XOR and the worked example. */
export type AppResults = Record<string, { xor: Run; worked: Run }>;

export interface Outcome {
  /** Whether the engine used engram's relaxed-SIMD build (fused multiply-add) rather than the plain one. */
  relaxed: boolean;
  results: AppResults;
}

/**
 * Serves `root` (with `pages` in front of its files), opens `path` in a fresh page after the `init` script,
 * waits for the example app to finish training, and reads its results.
 */
export async function openApp(browser: Browser, root: string, path: string, pages: Record<string, string> = {}, init?: string): Promise<Outcome> {
  const server = await serve(root, pages);
  const page = await browser.newPage();
  try {
    if (init) await page.addInitScript(init);
    const url = server.origin + path;
    const failed = new Promise<never>((_, reject) => page.on('pageerror', (error) => reject(new Error(`${url}: ${error.message}`))));
    failed.catch(() => {});
    await page.goto(url);
    await Promise.race([page.waitForFunction('window.engramResults !== undefined', null, { timeout: 30_000 }), failed]);
    return {
      relaxed: (await page.evaluate(HAS_RELAXED_SIMD)) as boolean,
      results: (await page.evaluate('window.engramResults')) as AppResults,
    };
  } finally {
    await page.close();
    await server.close();
  }
}

/**
 * The same training in Node, in a child process so that the WebAssembly build can be chosen: 'relaxed'
 * enables relaxed SIMD (a flag on Node 20, the default from Node 22), 'plain' hides it.
 */
export function nodeOutcome(build: 'relaxed' | 'plain'): Outcome {
  const script = `
    ${build === 'plain' ? WITHOUT_RELAXED_SIMD : ''}
    const { trainXor, trainWorkedExample } = await import(${JSON.stringify(TRAIN_URL)});
    const results = {};
    for (const backend of ['wasm', 'js']) results[backend] = { xor: await trainXor(backend), worked: await trainWorkedExample(backend) };
    console.log(JSON.stringify({ relaxed: ${HAS_RELAXED_SIMD}, results }));
  `;
  const flags = build === 'relaxed' ? ['--experimental-wasm-relaxed-simd'] : [];
  const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as Outcome;
}

/** Every number a run produced, in a fixed order, each with a name for failure messages. */
function numbers(run: Run): [string, number][] {
  return [
    ...run.history.map((v, e): [string, number] => [`loss of epoch ${e}`, v]),
    ...run.weights.flatMap(({ kernel, bias }, l) => [
      ...kernel.map((v, i): [string, number] => [`layer ${l} kernel[${i}]`, v]),
      ...bias.map((v, i): [string, number] => [`layer ${l} bias[${i}]`, v]),
    ]),
    ...run.predictions.map((v, i): [string, number] => [`prediction ${i}`, v]),
  ];
}

/**
 * Compares two runs number by number: bit for bit when `tolerance` is 0, else within tolerance × the
 * larger magnitude, with 1 as the floor (a relative bound means nothing near zero).
 */
export function expectSameRun(actual: Run, expected: Run, where: string, tolerance = 0): void {
  const a = numbers(actual);
  const b = numbers(expected);
  expect(a.length, `${where}: how many numbers`).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const [name, x] = a[i];
    const y = b[i][1];
    if (tolerance === 0) {
      if (!Object.is(x, y)) expect.fail(`${where}, ${name}: ${x} is not bit-identical to ${y}`);
    } else if (!(Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y)))) {
      expect.fail(`${where}, ${name}: ${x} and ${y} differ by more than ${tolerance} (relative, floor 1)`);
    }
  }
}

/**
 * Engines may round Math.exp, Math.log and Math.tanh differently in the last bit (the language does not
 * pin them down; V8 has changed its versions of them), so the js backend is held to 1e-4 between two
 * engines. Measured, Node 20 against Chromium 156: the weights bit-identical, one XOR loss 1 ulp apart.
 */
export const JS_ACROSS_ENGINES = 1e-4;
/** Between the two backends (f32 with different operation orders, and a four-lane exp in WebAssembly). */
export const ACROSS_BACKENDS = 1e-4;

/** The page's results against Node's: wasm bit for bit, js within JS_ACROSS_ENGINES. */
export function expectSameAsNode(page: AppResults, node: AppResults, where: string): void {
  for (const [backend, runs] of Object.entries(page)) {
    const tolerance = backend === 'js' ? JS_ACROSS_ENGINES : 0;
    for (const name of ['xor', 'worked'] as const) {
      expect(runs[name].backend, `${where}: ${name} on ${backend}`).toBe(backend);
      expectSameRun(runs[name], node[backend][name], `${where}, ${name} on ${backend}`, tolerance);
    }
  }
}
