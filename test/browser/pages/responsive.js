// Runs in the page: how often requestAnimationFrame fires while idle, while a network trains with
// trainAsync, and while it trains with train (which holds the thread, for contrast).
import { Network } from 'engram';

const SAMPLES = 2048;
const INPUTS = 32;
const CLASSES = 4;

/** Frames counted from now until stop(): how many, and the longest time between two of them. */
function watchFrames() {
  const seen = { frames: 0, longestGap: 0 };
  let last;
  let running = true;
  const tick = (time) => {
    if (last !== undefined) seen.longestGap = Math.max(seen.longestGap, time - last);
    last = time;
    seen.frames++;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return { seen, stop: () => { running = false; } };
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * Frames while the page idles for `idleMs`, while trainAsync runs for about `trainMs` (its callback stops
 * it), and while train runs a fifth as many epochs: for each, { frames, longestGap, elapsed } in ms.
 */
export async function measureFrames(backend, idleMs, trainMs) {
  const net = await Network.create({
    inputs: INPUTS,
    layers: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: CLASSES, activation: 'softmax' }],
    loss: 'categoricalCrossentropy',
    seed: 1,
    backend,
  });
  const inputs = Array.from({ length: SAMPLES }, (_, i) => Array.from({ length: INPUTS }, (_, j) => Math.sin(i * INPUTS + j)));
  const targets = inputs.map((x) => {
    const k = (x[0] > 0 ? 1 : 0) + (x[1] > 0 ? 2 : 0);
    return Array.from({ length: CLASSES }, (_, c) => (c === k ? 1 : 0));
  });

  const span = async (work) => {
    await nextFrame();
    const watch = watchFrames();
    await nextFrame();
    const start = performance.now();
    const value = await work();
    const elapsed = performance.now() - start;
    await nextFrame();
    watch.stop();
    return { ...watch.seen, elapsed, value };
  };

  const idle = await span(() => new Promise((resolve) => setTimeout(resolve, idleMs)));
  const started = performance.now();
  const trainAsync = await span(async () => {
    const result = await net.trainAsync(inputs, targets, { epochs: 1e6, batchSize: 32, onEpochEnd: () => performance.now() - started < trainMs });
    return result.epochs;
  });
  const epochs = Math.max(1, Math.round(trainAsync.value / 5));
  const train = await span(() => net.train(inputs, targets, { epochs, batchSize: 32 }).epochs);
  net.dispose();
  return { idle, trainAsync, train };
}
