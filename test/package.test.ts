// What ships: the built package, imported by its name as a user's code imports it.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

describe('the built package', () => {
  it("imports as 'engram' from dist/ and trains on its default backend", async () => {
    const { Network, wasmSimdSupported } = await import('engram');
    expect(wasmSimdSupported()).toBe(true);
    const net = await Network.create({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1 }], seed: 1 });
    expect(net.backend).toBe('wasm');
    const result = net.train([[0, 1], [1, 0]], [1, -1], { epochs: 50, learningRate: 0.05 });
    expect(result.loss).toBeLessThan(result.history[0]);
  });

  it('declares ESM entry points with types, no side effects and no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.type).toBe('module');
    // TypeScript takes the first condition that matches, so `types` comes before `default`.
    expect(Object.entries(pkg.exports['.'])).toEqual([['types', './dist/index.d.ts'], ['default', './dist/index.js']]);
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
    const entry = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
    expect(entry).toContain("from './network.js'");
    // The kernels travel inside the JavaScript: no .wasm file to locate at run time.
    expect(readFileSync(new URL('../dist/wasm/bytes.js', import.meta.url), 'utf8')).toMatch(/wasmBase64 =\s*'AGFzbQ/);
  });

  // A page loading dist/ as plain ES modules can follow relative imports only: a bare name (a package)
  // would need an import map, and a CommonJS package cannot run there at all.
  it('imports nothing outside dist/ from the library (the command line runs on Node only)', () => {
    const dist = new URL('../dist/', import.meta.url);
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && f !== 'cli.js');
    expect(files).toContain('index.js');
    for (const file of files) {
      const code = readFileSync(new URL(file, dist), 'utf8');
      const specifiers = [...code.matchAll(/(?:^|[;\s])(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm)]
        .map((m) => m[1] ?? m[2]);
      const outside = specifiers.filter((s) => !s.startsWith('./') && !s.startsWith('../'));
      expect(outside, `dist/${file}`).toEqual([]);
    }
  });

  // ONNX files are read and written by engram's own codec (src/onnx/protobuf.ts); plain Node ESM, not
  // vitest's loader, is where a wrong import form would fail.
  it('loads its ONNX support under plain Node ESM', () => {
    const script = `
      import { Network } from 'engram';
      const net = await Network.create({ inputs: 2, layers: [{ units: 3, activation: 'elu' }, { units: 1 }], seed: 1 });
      const copy = await Network.fromONNX(net.toONNX());
      console.log(JSON.stringify([...net.predict([1, 2]), ...copy.predict([1, 2])]));
    `;
    const cwd = new URL('..', import.meta.url);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
    const [a, b] = JSON.parse(out);
    expect(Number.isFinite(a)).toBe(true);
    expect(b).toBe(a);
  });
});
