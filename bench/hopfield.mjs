// @ts-check
// Question: how many patterns does each associative memory hold? The capacity curve: the fraction of
// damaged cues recalled exactly, against the number of random patterns stored. Classical memories at
// N = 100 (10% of bits flipped, asynchronous updates), one column per learning rule; the modern memory at
// N = 64 (20% flipped, β = 1), where exact means every sign right. Seeded: the same table every run.
// Measures what ships (dist/, through the package's own name): run `npm run build` first.

import { HopfieldMemory } from 'engram';
import { markdownTable } from './lib/format.mjs';
import { isMain, runStandalone } from './lib/main.mjs';

const CLASSICAL = { size: 100, noise: 0.1, loads: [5, 8, 10, 12, 14, 16, 20, 25, 30, 35, 40, 50, 60, 70], memories: 3, cues: 300 };
const MODERN = { size: 64, noise: 0.2, beta: 1, loads: [1000, 5000, 10000, 20000, 50000, 100000], cues: 300 };
const RULES = /** @type {const} */ (['hebbian', 'storkey', 'pseudoinverse']);

/** mulberry32: uniform in [0, 1). */
function seeded(/** @type {number} */ seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPatterns(/** @type {() => number} */ random, /** @type {number} */ count, /** @type {number} */ size) {
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, () => (random() < 0.5 ? -1 : 1)));
}

/** A copy with exactly round(fraction·size) values negated, chosen uniformly. */
function flip(/** @type {() => number} */ random, /** @type {Float32Array} */ pattern, /** @type {number} */ fraction) {
  const order = Array.from(pattern, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const copy = Float32Array.from(pattern);
  for (const i of order.slice(0, Math.round(fraction * pattern.length))) copy[i] = -copy[i];
  return copy;
}

/**
 * Exact-recall rate over `cues` cues spread over `memories` memories of `count` random patterns each
 * (cue c damages pattern c mod count of its memory).
 * @param {Omit<import('engram').HopfieldOptions, 'seed'>} options
 * @param {number} count
 * @param {number} noise
 * @param {number} memories
 * @param {number} cues
 * @param {number} seed
 */
async function recallRate(options, count, noise, memories, cues, seed) {
  const random = seeded(seed);
  let exact = 0;
  let total = 0;
  for (let m = 0; m < memories; m++) {
    const memory = await HopfieldMemory.create({ ...options, seed: seed + m });
    const patterns = randomPatterns(random, count, options.size);
    memory.store(patterns);
    const share = Math.ceil(cues / memories);
    for (let c = 0; c < share; c++) {
      const pattern = patterns[c % count];
      const { pattern: recalled } = memory.recall(flip(random, pattern, noise));
      if (pattern.every((v, i) => Math.sign(recalled[i]) === v)) exact++;
      total++;
    }
    memory.dispose();
  }
  return exact / total;
}

const percent = (/** @type {number} */ rate) => `${(100 * rate).toFixed(1)}%`;

/** @returns {Promise<import('./lib/main.mjs').Section>} */
export async function run() {
  const classicalRows = [];
  for (const count of CLASSICAL.loads) {
    const row = [String(count), (count / CLASSICAL.size).toFixed(2)];
    for (const rule of RULES) {
      row.push(percent(await recallRate({ size: CLASSICAL.size, rule }, count, CLASSICAL.noise, CLASSICAL.memories, CLASSICAL.cues, count)));
    }
    classicalRows.push(row);
    console.error(`classical ${count} patterns: ${row.slice(2).join(' ')}`);
  }
  const modernRows = [];
  for (const count of MODERN.loads) {
    const rate = await recallRate({ size: MODERN.size, kind: 'modern', beta: MODERN.beta }, count, MODERN.noise, 1, MODERN.cues, count);
    modernRows.push([count.toLocaleString('en-US'), (count / MODERN.size).toFixed(0), percent(rate)]);
    console.error(`modern ${count} patterns: ${percent(rate)}`);
  }
  const markdown = [
    `Classical memory, N = ${CLASSICAL.size}, ${100 * CLASSICAL.noise}% of bits flipped, asynchronous updates: exact-recall rate of ` +
      `${CLASSICAL.cues} cues over ${CLASSICAL.memories} memories of random patterns per load. Theory: Hebbian learning breaks down near 0.138·N ≈ 14 patterns.`,
    '',
    markdownTable(['patterns', 'load P/N', ...RULES], classicalRows),
    '',
    `Modern memory, N = ${MODERN.size}, β = ${MODERN.beta}, ${100 * MODERN.noise}% of bits flipped: exact-recall rate (every sign right) of ${MODERN.cues} cues per load.`,
    '',
    markdownTable(['patterns', 'load P/N', 'modern'], modernRows),
  ].join('\n');
  return { title: 'Associative memory: capacity', markdown, targets: [] };
}

if (isMain(import.meta.url)) await runStandalone(run);
