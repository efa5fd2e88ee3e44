// @ts-check
// Question (target 6): is there a relaxed-SIMD build of engram's kernels, chosen at load time, and how
// does it compare with the plain build? This answers only what can be observed from dist/: whether a
// second build ships at all, and whether this engine would accept relaxed SIMD.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { peakFunction } from './peak/peak.mjs';
import { isMain, runStandalone } from './lib/main.mjs';

export async function run() {
  const wasmDir = fileURLToPath(new URL('../dist/wasm/', import.meta.url));
  const files = readdirSync(wasmDir).filter((f) => f.endsWith('.js'));
  const relaxedBuild = files.filter((f) => /relax/i.test(f));
  const engineHasRelaxed = peakFunction(true) !== undefined;
  const markdown =
    `dist/wasm/ holds ${files.map((f) => `\`${f}\``).join(', ')}: ${relaxedBuild.length > 0 ? `a relaxed build (${relaxedBuild.join(', ')})` : 'one build, plain SIMD; no relaxed-SIMD build ships'}. ` +
    `This engine (Node ${process.version}) ${engineHasRelaxed ? 'accepts' : 'rejects'} \`f32x4.relaxed_madd\` without flags.` +
    (relaxedBuild.length > 0 ? ' Comparing the two builds is not implemented in this suite yet.' : '');
  return {
    title: 'Relaxed SIMD',
    markdown,
    targets: [{
      id: '6',
      target: 'A relaxed-SIMD build chosen at load time: ≥ 1.15× the plain build on GEMM, results within 1e-5',
      measured: relaxedBuild.length > 0 ? 'a relaxed build ships; its speed is not measured by this suite yet' : 'no relaxed-SIMD build in dist/',
      ok: relaxedBuild.length > 0 ? undefined : false,
    }],
  };
}

if (isMain(import.meta.url)) await runStandalone(run);
