// "A call that throws leaves the network exactly as it was": a snapshot of everything a network is
// (weights, model file, what it predicts), and the check that a network still matches it.
import { expect } from 'vitest';
import type { Network, NetworkJSON } from '../../src/index.js';
import { sameBits } from './data.js';

export interface NetworkSnapshot {
  weights: { kernel: Float32Array; bias: Float32Array }[];
  json: NetworkJSON;
  probes: number[][];
  outputs: Float32Array[];
}

/** Records a network's weights, its model file, and its outputs for `probes`. */
export function snapshotNetwork(net: Network, probes: number[][]): NetworkSnapshot {
  return {
    weights: net.getWeights(),
    json: net.toJSON(),
    probes,
    outputs: probes.map((p) => net.predict(p)),
  };
}

/** Asserts the network is exactly as snapshotted: bit-identical weights, equal model file, same outputs. */
export function expectUnchanged(net: Network, before: NetworkSnapshot, what = 'the network'): void {
  const weights = net.getWeights();
  expect(weights.length, `${what}: layer count`).toBe(before.weights.length);
  before.weights.forEach((layer, l) => {
    expect(sameBits(weights[l].kernel, layer.kernel), `${what}: layer ${l} kernel`).toBeUndefined();
    expect(sameBits(weights[l].bias, layer.bias), `${what}: layer ${l} bias`).toBeUndefined();
  });
  expect(net.toJSON(), `${what}: model file`).toEqual(before.json);
  before.probes.forEach((p, i) => {
    expect(sameBits(net.predict(p), before.outputs[i]), `${what}: predict(${JSON.stringify(p)})`).toBeUndefined();
  });
}
