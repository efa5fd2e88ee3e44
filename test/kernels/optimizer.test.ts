// sgd, sgdMomentum (plain and Nesterov), adam and rmsprop on both backends: several steps from zeroed
// state, each with fresh gradients, against the update formulas of assembly/optimizer.ts evaluated in f64.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Kernels } from '../../src/backends/backend.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { expectClose, randomArray, type Random } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
import { seeded } from '../helpers/reference.js';

const COUNTS = [1, 3, 4, 5, 17, 33];
const STEPS = 5;

/** One optimizer: its state buffers, the f64 update of one parameter, and the kernel call for a step t. */
interface Case {
  name: string;
  state: string[];
  /** Updates w and state (indexed like `state`) at one parameter with gradient g, at step t (from 1). */
  reference(w: number, g: number, s: number[], t: number): number;
  run(k: Kernels, w: number, g: number, s: number[], count: number, t: number): void;
}

const LR = 0.05;
const MOMENTUM = 0.9;
const [BETA1, BETA2, EPSILON] = [0.9, 0.999, 1e-7];
const RHO = 0.9;
/** Adam's bias corrections, as the host computes them in f64. */
const correction = (beta: number, t: number) => 1 / (1 - beta ** t);

const momentum = (nesterov: boolean): Case => ({
  name: nesterov ? 'sgdMomentum (Nesterov)' : 'sgdMomentum',
  state: ['v'],
  reference(w, g, s) {
    s[0] = MOMENTUM * s[0] + g;
    return w - LR * (nesterov ? g + MOMENTUM * s[0] : s[0]);
  },
  run: (k, w, g, [v], count) => k.sgdMomentum(w, g, v, count, LR, MOMENTUM, nesterov ? 1 : 0),
});

const CASES: Case[] = [
  {
    name: 'sgd',
    state: [],
    reference: (w, g) => w - LR * g,
    run: (k, w, g, _, count) => k.sgd(w, g, count, LR),
  },
  momentum(false),
  momentum(true),
  {
    name: 'adam',
    state: ['m', 'v'],
    reference(w, g, s, t) {
      s[0] = BETA1 * s[0] + (1 - BETA1) * g;
      s[1] = BETA2 * s[1] + (1 - BETA2) * g * g;
      return w - (LR * s[0] * correction(BETA1, t)) / (Math.sqrt(s[1] * correction(BETA2, t)) + EPSILON);
    },
    run: (k, w, g, [m, v], count, t) =>
      k.adam(w, g, m, v, count, LR, BETA1, BETA2, 1 - BETA1, 1 - BETA2, EPSILON, correction(BETA1, t), correction(BETA2, t)),
  },
  {
    name: 'rmsprop',
    state: ['ms'],
    reference(w, g, s) {
      s[0] = RHO * s[0] + (1 - RHO) * g * g;
      return w - (LR * g) / Math.sqrt(s[0] + EPSILON);
    },
    run: (k, w, g, [ms], count) => k.rmsprop(w, g, ms, count, LR, RHO, 1 - RHO, EPSILON),
  },
];

/** Gradients in [−1, 1), with some exact zeros (where Adam and RMSProp lean on ε). */
const gradients = (rand: Random, count: number) => randomArray(rand, count).map((g, i) => (i % 5 === 2 ? 0 : g));

/** f32 rounding at each step, relative to the value and to the largest value of the buffer. */
const tolerance = (expected: ArrayLike<number>) => ({
  rtol: 1e-5,
  atol: 1e-6 * Math.max(...Array.from(expected, Math.abs)),
});

describe.each(BACKENDS)('optimizers on %s', (backend) => {
  let bare: Backend;
  beforeAll(async () => {
    bare = await bareBackend(backend);
  });

  for (const c of CASES) {
    it(`${c.name}: ${STEPS} steps from zeroed state, counts ${COUNTS.join(', ')}`, () => {
      for (const count of COUNTS) {
        const arena = new Arena(bare);
        const rand = seeded(count * 17 + c.name.length);
        const start = randomArray(rand, count);
        const w = Float64Array.from(start);
        const state = c.state.map(() => new Float64Array(count));
        const pw = arena.put(start);
        const ps = c.state.map(() => arena.alloc(count, 0));
        const pg = arena.alloc(count);
        for (let t = 1; t <= STEPS; t++) {
          const g = gradients(rand, count);
          arena.backend.f32.set(g, pg >> 2);
          c.run(bare.kernels, pw, pg, ps, count, t);
          for (let i = 0; i < count; i++) {
            const s = state.map((buffer) => buffer[i]);
            w[i] = c.reference(w[i], g[i], s, t);
            state.forEach((buffer, b) => (buffer[i] = s[b]));
          }

          const what = `${c.name} on ${backend}, count ${count}, step ${t}`;
          expectClose(arena.read(pw, count), w, tolerance(w), `${what}: w`);
          c.state.forEach((name, b) => expectClose(arena.read(ps[b], count), state[b], tolerance(state[b]), `${what}: ${name}`));
          expect(sameBits(arena.read(pg, count), g), `${what}: g changed`).toBeUndefined();
          expect(arena.writtenGuard(), `${what}: outside w, g and the state`).toBeUndefined();
        }
      }
    });

    // The kernels update four parameters at a time, then the rest one by one: the same values must get
    // the same bits either way (a network's parameters fall into the tail by their count alone).
    it(`${c.name}: a parameter's update has the same bits in the four-lane body and in the tail`, () => {
      const rand = seeded(99 + c.name.length);
      const start = randomArray(rand, 64);
      const steps = Array.from({ length: STEPS }, () => gradients(rand, 64));
      const run = (from: number, count: number) => {
        const arena = new Arena(bare);
        const pw = arena.put(start.subarray(from, from + count));
        const ps = c.state.map(() => arena.alloc(count, 0));
        const pg = arena.alloc(count);
        steps.forEach((g, t) => {
          arena.backend.f32.set(g.subarray(from, from + count), pg >> 2);
          c.run(bare.kernels, pw, pg, ps, count, t + 1);
        });
        return [arena.read(pw, count), ...ps.map((at) => arena.read(at, count))];
      };
      // All 64 through the body; then three at a time (each call all tail), 60 of them.
      const body = run(0, 64);
      for (let from = 4; from + 3 <= 64; from += 3) {
        const tail = run(from, 3);
        body.forEach((values, b) => {
          const what = `${c.name} on ${backend}: ${['w', ...c.state][b]}[${from}..${from + 3})`;
          expect(sameBits(values.subarray(from, from + 3), tail[b]), what).toBeUndefined();
        });
      }
    });
  }
});
