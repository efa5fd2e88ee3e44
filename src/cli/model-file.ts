// The command line's model file: the engram network file (src/serialize.ts) wrapped with what the
// network alone does not know: how CSV columns become inputs and outputs become answers, and how
// training went.
//
//   { format: 'engram-cli-model', version: 1,
//     preprocessing: { features: [...], target: {...} },   // src/cli/preprocess.ts
//     training: { file, rows, trainRows, validationRows, epochs, stopReason, loss, valLoss?, valAccuracy?, history, valHistory? },
//     network: { format: 'engram-network', ... } }         // exactly net.toJSON(); Network.fromJSON reads it
//
// It is deterministic like the network file: no timestamps, no paths beyond the training file's name.

import { readFileSync } from 'node:fs';
import { Network, type NetworkJSON } from '../index.js';
import { CliError } from './errors.js';
import { fileProblem } from './csv.js';
import { writeFileAtomic } from './files.js';
import { inputWidth, outputWidth, type Feature, type Preprocessing, type Target } from './preprocess.js';

export const CLI_FORMAT = 'engram-cli-model';
export const CLI_VERSION = 1;

export interface TrainingSummary {
  /** The training file's name (without its directory). */
  file: string;
  rows: number;
  trainRows: number;
  validationRows: number;
  epochs: number;
  stopReason: string;
  loss: number;
  valLoss?: number;
  /** Classification only: the fraction of validation rows predicted right after training. */
  valAccuracy?: number;
  /** Mean training loss per epoch. */
  history: number[];
  valHistory?: number[];
}

export interface CliModel {
  format: typeof CLI_FORMAT;
  version: typeof CLI_VERSION;
  preprocessing: Preprocessing;
  training: TrainingSummary;
  network: NetworkJSON;
}

export function writeModel(file: string, model: CliModel): void {
  writeFileAtomic(file, JSON.stringify(model) + '\n');
}

export interface LoadedModel {
  /** Absent for a bare engram network file (which `info` can still describe). */
  cli?: CliModel;
  net: Network;
}

/** Reads and checks a model file; `bareNetworkOk` lets a plain engram network file through. */
export async function readModel(file: string, bareNetworkOk = false): Promise<LoadedModel> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: ${fileProblem(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${file}: not a model file: not valid JSON`);
  }
  const o = object(value, file, 'the file');
  if (o.format === 'engram-network') {
    if (!bareNetworkOk) {
      throw new CliError(`${file}: a bare engram network file has no preprocessing for CSV columns; train one with \`engram train\``);
    }
    return { net: await loadNetwork(file, o) };
  }
  if (o.format !== CLI_FORMAT) throw new CliError(`${file}: not an engram model file (format is ${JSON.stringify(o.format)})`);
  if (o.version !== CLI_VERSION) throw new CliError(`${file}: model file version ${JSON.stringify(o.version)}; this engram reads version ${CLI_VERSION}`);
  const p = object(o.preprocessing, file, 'preprocessing');
  if (!Array.isArray(p.features) || p.features.length === 0) throw new CliError(`${file}: preprocessing.features must be a non-empty array`);
  const features = p.features.map((f, i) => feature(f, file, `preprocessing.features[${i}]`));
  const target = targetOf(p.target, file);
  const training = summary(o.training, file);
  const net = await loadNetwork(file, o.network);
  if (net.inputs !== inputWidth(features) || net.outputs !== outputWidth(target)) {
    throw new CliError(
      `${file}: the network has ${net.inputs} inputs and ${net.outputs} outputs, but the preprocessing makes ${inputWidth(features)} and ${outputWidth(target)}`,
    );
  }
  const cli: CliModel = { format: CLI_FORMAT, version: CLI_VERSION, preprocessing: { features, target }, training, network: o.network as NetworkJSON };
  return { cli, net };
}

async function loadNetwork(file: string, json: unknown): Promise<Network> {
  try {
    return await Network.fromJSON(object(json, file, 'network'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: network: ${(error as Error).message}`);
  }
}

function feature(value: unknown, file: string, name: string): Feature {
  const f = object(value, file, name);
  const label = text(f.name, file, `${name}.name`);
  if (f.kind === 'numeric') {
    return { name: label, kind: 'numeric', mean: finite(f.mean, file, `${name}.mean`), std: positive(f.std, file, `${name}.std`) };
  }
  if (f.kind === 'categorical') return { name: label, kind: 'categorical', categories: labels(f.categories, file, `${name}.categories`, 1) };
  throw new CliError(`${file}: ${name}.kind must be "numeric" or "categorical"`);
}

function targetOf(value: unknown, file: string): Target {
  const t = object(value, file, 'preprocessing.target');
  const name = text(t.name, file, 'preprocessing.target.name');
  if (t.task === 'classification') return { name, task: 'classification', classes: labels(t.classes, file, 'preprocessing.target.classes', 2) };
  if (t.task === 'regression') {
    return { name, task: 'regression', mean: finite(t.mean, file, 'preprocessing.target.mean'), std: positive(t.std, file, 'preprocessing.target.std') };
  }
  throw new CliError(`${file}: preprocessing.target.task must be "classification" or "regression"`);
}

function summary(value: unknown, file: string): TrainingSummary {
  const t = object(value, file, 'training');
  const count = (v: unknown, name: string) => {
    if (!Number.isInteger(v) || (v as number) < 0) throw new CliError(`${file}: training.${name} must be a whole number`);
    return v as number;
  };
  const series = (v: unknown, name: string) => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new CliError(`${file}: training.${name} must be an array of numbers`);
    return v as number[];
  };
  const s: TrainingSummary = {
    file: text(t.file, file, 'training.file'),
    rows: count(t.rows, 'rows'),
    trainRows: count(t.trainRows, 'trainRows'),
    validationRows: count(t.validationRows, 'validationRows'),
    epochs: count(t.epochs, 'epochs'),
    stopReason: text(t.stopReason, file, 'training.stopReason'),
    loss: typeof t.loss === 'number' ? t.loss : NaN,
    history: series(t.history, 'history'),
  };
  if (typeof t.valLoss === 'number') s.valLoss = t.valLoss;
  if (typeof t.valAccuracy === 'number') s.valAccuracy = t.valAccuracy;
  if (t.valHistory !== undefined) s.valHistory = series(t.valHistory, 'valHistory');
  return s;
}

function object(value: unknown, file: string, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${file}: ${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, file: string, name: string): string {
  if (typeof value !== 'string') throw new CliError(`${file}: ${name} must be a string`);
  return value;
}

function finite(value: unknown, file: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CliError(`${file}: ${name} must be a finite number`);
  return value;
}

function positive(value: unknown, file: string, name: string): number {
  if (finite(value, file, name) <= 0) throw new CliError(`${file}: ${name} must be positive`);
  return value as number;
}

function labels(value: unknown, file: string, name: string, least: number): string[] {
  if (!Array.isArray(value) || value.length < least || !value.every((v) => typeof v === 'string') || new Set(value).size !== value.length) {
    throw new CliError(`${file}: ${name} must be an array of at least ${least} distinct strings`);
  }
  return value as string[];
}
