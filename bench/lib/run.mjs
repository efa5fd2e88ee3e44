// @ts-check
// Interleaved runs: every task of a question runs in each of several rounds, in a rotating order, so
// that a slow minute of the machine (thermal state, a neighbour's job, GC) lands on all systems alike.
// Samples from all rounds are pooled per task and summarised by their median.

import { Bench } from 'tinybench';
import { median } from './format.mjs';

/**
 * @typedef {object} TaskSpec
 * @property {string} name `<system>:<case>`
 * @property {() => unknown} fn the timed function; inputs are built before, outside it
 * @property {() => (void | Promise<void>)} [before] untimed, before each round's batch of this task (e.g. selecting a TF.js backend)
 * @property {number} [time] ms per round for this task, overriding the run's
 * @property {number} [iterations] minimum iterations per round for this task
 * @property {number} [rounds] run in the first this many rounds only (a task of seconds per call)
 */

/**
 * @typedef {object} TaskResult
 * @property {string} name
 * @property {number} median ms per call
 * @property {number} samples how many timed calls the median is over
 * @property {number} mad median absolute deviation, ms
 * @property {number[]} values every sample, ms
 */

/**
 * @param {readonly TaskSpec[]} tasks
 * @param {{ rounds?: number, time?: number, iterations?: number, warmupTime?: number, warmup?: boolean, log?: boolean }} [options]
 * @returns {Promise<Map<string, TaskResult>>}
 */
export async function runInterleaved(tasks, options = {}) {
  const { rounds = 3, time = 200, iterations = 5, warmupTime = 50, warmup = true, log = true } = options;
  /** @type {Map<string, number[]>} */
  const pooled = new Map(tasks.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length];
      if (task.rounds !== undefined && round >= task.rounds) continue;
      if (task.before) await task.before();
      const bench = new Bench({
        time: task.time ?? time,
        iterations: task.iterations ?? iterations,
        // Warm-up (V8 tiers code up while it runs) before the first round; later rounds only settle caches.
        warmup,
        warmupTime: round === 0 ? warmupTime : Math.min(warmupTime, 20),
        warmupIterations: round === 0 ? 2 : 1,
        retainSamples: true,
        throws: true,
      });
      bench.add(task.name, task.fn);
      await bench.run();
      const result = bench.tasks[0].result;
      if (!('latency' in result) || !result.latency.samples) {
        throw new Error(`${task.name}: no samples (${result.state})`);
      }
      pooled.get(task.name)?.push(...result.latency.samples);
    }
  }
  /** @type {Map<string, TaskResult>} */
  const results = new Map();
  for (const [name, samples] of pooled) {
    const m = median(samples);
    const result = { name, median: m, samples: samples.length, mad: median(samples.map((s) => Math.abs(s - m))), values: samples };
    results.set(name, result);
    if (log) console.error(`  ${name.padEnd(44)} median ${m.toPrecision(4).padStart(10)} ms  (${samples.length} samples)`);
  }
  return results;
}

/** The median of a task that must have run, in ms. */
export function ms(/** @type {Map<string, TaskResult>} */ results, /** @type {string} */ name) {
  const r = results.get(name);
  if (!r) throw new Error(`no result for ${name}`);
  return r.median;
}
