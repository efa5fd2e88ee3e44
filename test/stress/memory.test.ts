// Memory under load, measured in child processes (node --expose-gc) so that nothing else in the test run
// shares their heap: 10,000 networks created, trained and disposed one after another leave the process
// holding what it held after the first 100, and a million training steps on one network grow nothing.
// The children print their figures as JSON (test/fixtures/churn.mjs, long-run.mjs; the readings are
// scripts/memory-watch.mjs `measure`), and these tests read them.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/backends.js';

const NETWORKS = 10_000;
const STEPS = 1_000_000;
const TOLERANCE = 1.05;

interface Reading {
  heapUsed: number;
  wasmBytes: number;
  wasmLive: number;
  wasmInstantiated: number;
  arrayBuffers: number;
  rss: number;
  heapLive?: number;
  heapLiveCode?: number;
}

async function runFixture<T>(name: string, args: string[], flags: string[] = []): Promise<T> {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ...flags, script, ...args], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** The reachable heap without the code V8 compiles: that grows as its JIT optimizes more functions, up to their number. */
const heapObjects = (r: Reading) => r.heapLive! - r.heapLiveCode!;

describe.each(BACKENDS)('memory on %s', (backend) => {
  it(`returns to its level after the first 100 networks, over ${NETWORKS} created, trained and disposed`, async () => {
    const { alive, checkpoints } = await runFixture<{ alive: number; checkpoints: (Reading & { networks: number })[] }>(
      'churn.mjs', [backend, String(NETWORKS)],
    );
    const first = checkpoints[0];
    const last = checkpoints[checkpoints.length - 1];
    expect([first.networks, last.networks]).toEqual([100, NETWORKS]);
    console.log(`${backend}: ${JSON.stringify({ first, last })}`);
    if (backend === 'wasm') {
      for (const c of checkpoints) {
        expect(c.wasmInstantiated, `instances created by network ${c.networks}`).toBe(c.networks);
        expect(c.wasmLive, `instances alive at network ${c.networks}`).toBe(alive);
        expect(c.wasmBytes, `WebAssembly memory at network ${c.networks}`).toBeLessThanOrEqual(first.wasmBytes * TOLERANCE);
      }
    } else {
      expect(last.wasmInstantiated, 'instances created').toBe(0);
    }
    for (const c of checkpoints) {
      expect(c.arrayBuffers, `ArrayBuffer bytes at network ${c.networks}`).toBeLessThanOrEqual(first.arrayBuffers * TOLERANCE);
    }
    expect(heapObjects(last), 'reachable JS heap (less compiled code) after the last network').toBeLessThanOrEqual(
      heapObjects(first) * TOLERANCE,
    );
  }, 180_000);

  it(`grows nothing over ${STEPS} training steps after a warm-up`, async () => {
    const run = await runFixture<{
      steps: number; stopReason: string; collectionsDuring: number; collectionsAllocatingControl: number;
      before: Reading & { memoryBytes: number }; after: Reading & { memoryBytes: number };
    }>('long-run.mjs', [backend, String(STEPS)]);
    console.log(`${backend}: ${JSON.stringify(run)}`);
    expect(run.steps).toBe(STEPS);
    expect(run.stopReason).toBe('epochs');
    expect(run.after.memoryBytes, "the network's memory").toBe(run.before.memoryBytes);
    expect(run.after.wasmBytes, 'WebAssembly memory').toBe(run.before.wasmBytes);
    expect(run.after.arrayBuffers, 'ArrayBuffer bytes').toBeLessThanOrEqual(run.before.arrayBuffers * TOLERANCE);
    expect(heapObjects(run.after), 'reachable JS heap (less compiled code)').toBeLessThanOrEqual(heapObjects(run.before) * TOLERANCE);
    // The counter sees collections where something allocates; on wasm the whole million steps run inside
    // one kernel call and allocate nothing at all. (The JS twin leaves V8 some boxed doubles to collect.)
    expect(run.collectionsAllocatingControl, 'collections around a loop that allocates').toBeGreaterThan(0);
    if (backend === 'wasm') expect(run.collectionsDuring, 'collections during the million steps').toBe(0);
  }, 180_000);
});

// A train() call checks every sample it is given, and that check once built a name string per sample
// ("inputs[3]", for a message it might throw): about 200 bytes of garbage a sample on every call, 2 MB
// for an epoch over 10,000. Only wasm is judged: the JS twin's own steps allocate (boxed doubles), and
// an epoch over more samples takes more steps. V8 optimises synchronously here: while the check loop
// still runs unoptimised it boxes every value it reads (~14 B a sample), and with both cores busy
// (the rest of npm test) a background optimisation once landed only after every reading (a median of
// 10 B a sample, with the fixture's own code unchanged).
describe('one train() call on wasm', () => {
  it('allocates no more for 10,000 samples than for 100, besides its steps', async () => {
    const run = await runFixture<{ few: number; many: number; heapFew: number; heapMany: number }>(
      'per-call.mjs', ['wasm'], ['--no-concurrent-recompilation', '--min-semi-space-size=64', '--max-semi-space-size=64'],
    );
    console.log(`wasm: ${JSON.stringify(run)}`);
    const perSample = (run.heapMany - run.heapFew) / (run.many - run.few);
    expect(perSample, `heap bytes per extra sample (${run.heapFew} B for ${run.few}, ${run.heapMany} B for ${run.many})`).toBeLessThanOrEqual(8);
  }, 60_000);
});
