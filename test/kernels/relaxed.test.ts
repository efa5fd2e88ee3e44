// The relaxed-SIMD build (fused multiply-add) agrees with the plain build, and the loader picks it
// where the engine has relaxed SIMD. Node 20 has it only behind a flag, so this runs in a child process.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('the relaxed-SIMD build', () => {
  it('gives products within 1e-5 of the plain build, the same bits for a row on every path, and is the one loaded where relaxed SIMD validates', () => {
    const script = fileURLToPath(new URL('../fixtures/relaxed-vs-plain.mjs', import.meta.url));
    const output = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', script], { encoding: 'utf8' });
    const { loaderPicksRelaxed, worst, checked, rowPaths, network } = JSON.parse(output.trim().split('\n').pop()!);
    expect(loaderPicksRelaxed).toBe(true);
    expect(checked).toBeGreaterThan(10_000);
    expect(worst).toBeLessThan(1e-5);
    // In each build, a row gives the same bits in a 4-row tile, as a lone row, alone and through the
    // panel (predict and predictBatch agree): the relaxed build fuses every path's multiply-adds alike.
    for (const build of ['plain', 'relaxed']) {
      expect(rowPaths[build].compared, build).toBeGreaterThan(1000);
      expect(rowPaths[build].differing, build).toBe(0);
    }
    // And through the API, on the relaxed build: every sample's predict equals its predictBatch row.
    expect(network.compared).toBeGreaterThan(1000);
    expect(network.differing).toBe(0);
  });

  it('is not used where relaxed SIMD does not validate (Node 20 without the flag)', async () => {
    const { wasmRelaxedSimdSupported } = await import('../../src/backends/wasm.js');
    expect(wasmRelaxedSimdSupported()).toBe(false);
  });
});
