// Trains the playground's network in short bursts, one per animation frame, so the page keeps drawing
// while it learns. With `compare` on, a twin on the other backend (a copy of the network, loaded from
// its model file) does exactly the same epochs, and each backend's steps per second are timed over the
// same work: only the `train` calls are timed, not drawing.

import { Network } from 'engram';

const OTHER = { wasm: 'js', js: 'wasm' };
/** Epochs per burst never exceed this, however fast the network: the curve and boundary stay live. */
const MAX_EPOCHS_PER_BURST = 256;

export class Trainer {
  /** Builds the network for `settings` (layers, activation, optimizer, learningRate, batchSize, backend, seed). */
  static async create(settings, data) {
    const net = await Network.create({
      inputs: 2,
      layers: [
        ...settings.layers.map((units) => ({ units, activation: settings.activation })),
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binaryCrossentropy',
      optimizer: { type: settings.optimizer, learningRate: settings.learningRate },
      seed: settings.seed,
      backend: settings.backend,
    });
    return new Trainer(net, settings, data);
  }

  constructor(net, settings, data) {
    this.net = net;
    this.twin = undefined;
    this.batchSize = settings.batchSize;
    this.inputs = data.inputs;
    this.targets = data.labels;
    this.stepsPerEpoch = Math.ceil(data.inputs.length / Math.min(this.batchSize, data.inputs.length));
    this.epochsPerBurst = 1;
    this.epoch = 0;
    this.diverged = false;
    this.loading = false;
    this.timers = freshTimers();
    /** The twin's loss after the last burst, while comparing. */
    this.twinLoss = undefined;
  }

  get comparing() {
    return this.twin !== undefined;
  }

  /** Starts or stops the twin; the timers restart so both backends are timed over the same epochs. */
  async setCompare(on) {
    if (on === this.comparing) return;
    if (on) {
      // No bursts while the copy loads, or the twin would start behind the network it copies.
      this.loading = true;
      try {
        this.twin = await Network.fromJSON(this.net.toJSON(), { backend: OTHER[this.net.backend] });
      } finally {
        this.loading = false;
      }
    } else {
      this.twin.dispose();
      this.twin = undefined;
    }
    this.timers = freshTimers();
    this.twinLoss = undefined;
  }

  /**
   * Trains every network the same number of epochs, chosen so the burst takes about `budgetMs` in all.
   * Returns the main network's loss for each epoch it ran (empty once training has diverged).
   */
  burst(budgetMs) {
    if (this.diverged || this.loading) return [];
    const epochs = this.epochsPerBurst;
    let spent = 0;
    let history = [];
    for (const net of this.comparing ? [this.net, this.twin] : [this.net]) {
      const started = performance.now();
      const result = net.train(this.inputs, this.targets, { epochs, batchSize: this.batchSize });
      const elapsed = performance.now() - started;
      spent += elapsed;
      const timer = this.timers[net.backend];
      timer.ms += elapsed;
      timer.steps += result.epochs * this.stepsPerEpoch;
      if (net === this.net) history = result.history;
      else this.twinLoss = result.loss;
      if (result.stopReason === 'diverged') this.diverged = true;
    }
    this.epoch += history.length;
    // Aim the next burst at the budget, growing at most fourfold so one slow call cannot overshoot much.
    const scaled = Math.floor((epochs * budgetMs) / Math.max(spent, 0.1));
    this.epochsPerBurst = Math.max(1, Math.min(MAX_EPOCHS_PER_BURST, scaled, epochs * 4));
    return history;
  }

  /** Steps (batches) per second of each backend timed so far: { wasm?, js? }. */
  speeds() {
    const speeds = {};
    for (const [backend, { steps, ms }] of Object.entries(this.timers)) {
      if (ms > 0) speeds[backend] = (steps / ms) * 1000;
    }
    return speeds;
  }

  /** Training-set loss and accuracy of the main network now. */
  evaluate() {
    return this.net.evaluate(this.inputs, this.targets);
  }

  dispose() {
    this.net.dispose();
    this.twin?.dispose();
  }
}

/** Steps run and milliseconds spent in `train`, per backend. */
function freshTimers() {
  return { wasm: { steps: 0, ms: 0 }, js: { steps: 0, ms: 0 } };
}
