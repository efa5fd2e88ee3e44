// What a process holds, for the stress fixtures (test/fixtures/) and the soak script: the JS heap
// (after full collections, when node runs with --expose-gc), the bytes of every WebAssembly.Memory still
// alive, the JS backend's arrays (arrayBuffers) and the resident set.
//
// heapUsed after a collection still counts pages the collector has not swept yet and the code V8's JIT
// compiles (and throws away) as more functions get hot; over thousands of networks those move it by
// several percent on their own. liveHeapBytes() counts only what is reachable, from a heap snapshot:
// the figure a leak would grow.
//
// engram gives each wasm network a module instance of its own, so "WebAssembly memory" is the sum over
// live instances. They are found by watching WebAssembly.instantiate, and held only weakly: an instance
// counts for as long as something else keeps it alive.

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSnapshot } from 'node:v8';

const instances = new Set();
// Forgets a collected memory's WeakRef, so that the watching itself does not grow the heap it measures.
const forget = new FinalizationRegistry((ref) => instances.delete(ref));
let instantiated = 0;

/** Starts counting the instances WebAssembly.instantiate creates from here on. */
export function watchWasmMemory() {
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (...args) {
    const result = await instantiate.apply(WebAssembly, args);
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    const memory = instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) {
      const ref = new WeakRef(memory);
      instances.add(ref);
      forget.register(memory, ref);
      instantiated++;
    }
    return result;
  };
}

/** Bytes and count of the watched memories still alive, and how many were ever created. */
export function wasmMemory() {
  let bytes = 0;
  let live = 0;
  for (const ref of instances) {
    const memory = ref.deref();
    if (memory !== undefined) {
      bytes += memory.buffer.byteLength;
      live++;
    }
  }
  return { bytes, live, instantiated };
}

/**
 * Full collections, each after the current job ends (WeakRef targets stay alive until it does) and a
 * few milliseconds more: V8 frees the backing stores of collected ArrayBuffers on a background thread,
 * and until it has, process.memoryUsage() still counts them (seen once with every core busy: 65 KB
 * more at one checkpoint of the churn test).
 */
export async function collectGarbage() {
  if (typeof globalThis.gc !== 'function') return;
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    globalThis.gc();
  }
}

let collections = 0;
let gcObserver;

/**
 * heapUsed after a synchronous `run` minus before it (node --expose-gc), from two full collections, and
 * again (up to ten tries) if a garbage collection ran meanwhile, which would hide what `run` allocated.
 * Run with a new space large enough for `run` (--min-semi-space-size, --max-semi-space-size) so that
 * a try can succeed. The collector reports asynchronously; a few milliseconds after `run` let it.
 */
export async function heapGrowth(run) {
  if (!gcObserver) {
    gcObserver = new PerformanceObserver((list) => { collections += list.getEntries().length; });
    gcObserver.observe({ entryTypes: ['gc'] });
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    globalThis.gc();
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const seen = collections;
    const before = process.memoryUsage().heapUsed;
    run();
    const grown = process.memoryUsage().heapUsed - before;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (collections === seen) return grown;
  }
  throw new Error('a garbage collection ran during every attempt');
}

/** One reading of everything above, after collecting garbage. */
export async function measure() {
  await collectGarbage();
  const usage = process.memoryUsage();
  const wasm = wasmMemory();
  return {
    heapUsed: usage.heapUsed,
    wasmBytes: wasm.bytes,
    wasmLive: wasm.live,
    wasmInstantiated: wasm.instantiated,
    arrayBuffers: usage.arrayBuffers,
    rss: usage.rss,
  };
}

/** Bytes of every object reachable in the JS heap (the self sizes of a heap snapshot's nodes), by node type. */
export async function liveHeapBytes() {
  await collectGarbage();
  let text = '';
  for await (const chunk of getHeapSnapshot()) text += chunk;
  const { snapshot, nodes } = JSON.parse(text);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const byType = {};
  let total = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    byType[type] = (byType[type] ?? 0) + nodes[i + sizeAt];
    total += nodes[i + sizeAt];
  }
  return { total, code: byType.code ?? 0 };
}
