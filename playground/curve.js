// The loss curve's points. A fast network runs thousands of epochs a second, so epochs are averaged
// into at most MAX_POINTS bins, each twice as wide as before whenever they fill up: the curve costs
// the same to draw after a minute of training as after a second.

export const MAX_POINTS = 512;

/** Epoch losses averaged in bins of `width` epochs: x is the epoch count at a bin's end, y its mean loss. */
export class LossCurve {
  constructor() {
    this.epochs = [];
    this.losses = [];
    this.width = 1;
    this.pending = { sum: 0, count: 0 };
    this.total = 0;
    /** The latest epoch's loss, whichever bin it falls in. */
    this.last = undefined;
  }

  add(losses) {
    for (const loss of losses) {
      this.total++;
      this.last = loss;
      this.pending.sum += loss;
      this.pending.count++;
      if (this.pending.count === this.width) {
        this.epochs.push(this.total);
        this.losses.push(this.pending.sum / this.width);
        this.pending = { sum: 0, count: 0 };
        if (this.epochs.length === MAX_POINTS) this.#halve();
      }
    }
  }

  #halve() {
    const epochs = [];
    const losses = [];
    for (let i = 0; i + 1 < this.epochs.length; i += 2) {
      epochs.push(this.epochs[i + 1]);
      losses.push((this.losses[i] + this.losses[i + 1]) / 2);
    }
    this.epochs = epochs;
    this.losses = losses;
    this.width *= 2;
  }
}
