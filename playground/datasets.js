// The playground's 2-D data sets, generated from a seed (no downloads): points in [-1, 1]², each
// labelled 0 or 1. Same name, size, noise and seed: the same points, in the same order.

/** Uniform in [0, 1), from a 32-bit seed (mulberry32, the generator engram itself uses). */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal, by Box–Muller (1 − u keeps the logarithm's argument above 0). */
function gaussian(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const GENERATORS = {
  /** A disc of one class inside a ring of the other. */
  circles(random, i, noise) {
    const label = i % 2;
    const radius = label === 0 ? 0.5 * random() : 0.7 + 0.3 * random();
    const angle = 2 * Math.PI * random();
    return [radius * Math.cos(angle) + noise * gaussian(random), radius * Math.sin(angle) + noise * gaussian(random), label];
  },
  /** Class 1 where x and y share a sign: the quadrants alternate, kept a little away from the axes. */
  xor(random, i, noise) {
    const label = i % 2;
    const x = (random() < 0.5 ? -1 : 1) * (0.05 + 0.95 * random());
    const y = (label === 1 ? Math.sign(x) : -Math.sign(x)) * (0.05 + 0.95 * random());
    return [x + noise * gaussian(random), y + noise * gaussian(random), label];
  },
  /** Two interleaved arms winding out from the centre, one and three-quarter turns each. */
  spiral(random, i, noise, count) {
    const label = i % 2;
    const t = Math.floor(i / 2) / Math.ceil(count / 2);
    const radius = 0.05 + 0.9 * t;
    const angle = 1.75 * 2 * Math.PI * t + label * Math.PI;
    return [radius * Math.sin(angle) + noise * gaussian(random), radius * Math.cos(angle) + noise * gaussian(random), label];
  },
  /** Two round clouds on a diagonal. */
  gaussians(random, i, noise) {
    const label = i % 2;
    const centre = label === 0 ? -0.45 : 0.45;
    const spread = 0.15 + noise;
    return [centre + spread * gaussian(random), centre + spread * gaussian(random), label];
  },
};

export const DATASET_NAMES = Object.keys(GENERATORS);

/** `count` points of the named set: { name, inputs: [x, y][], labels: (0 | 1)[] }; noise is a standard deviation. */
export function makeDataset(name, { count = 400, noise = 0, seed = 1 } = {}) {
  const generate = Object.hasOwn(GENERATORS, name) ? GENERATORS[name] : undefined;
  if (!generate) throw new RangeError(`unknown data set "${name}"; pick one of ${DATASET_NAMES.join(', ')}`);
  const random = mulberry32(seed);
  const inputs = [];
  const labels = [];
  for (let i = 0; i < count; i++) {
    const [x, y, label] = generate(random, i, noise, count);
    inputs.push([clamp(x), clamp(y)]);
    labels.push(label);
  }
  return { name, inputs, labels };
}

function clamp(v) {
  return Math.max(-1, Math.min(1, v));
}
