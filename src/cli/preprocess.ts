// Turning CSV columns into the numbers a network reads, and its outputs back into answers. Learned once
// from the training file and stored in the model file, so that predict and evaluate encode new rows
// exactly as training did:
// - a numeric feature is standardized, (x − mean) / std, with mean and std from the training rows;
// - a categorical feature becomes one input per category seen in training (one-hot);
// - a classification target becomes one output per class (one-hot, for softmax + cross-entropy);
// - a regression target is standardized like a feature and un-standardized on the way out.

import { CliError } from './errors.js';
import { cellName, columnIndex, type Table } from './csv.js';

export type Task = 'classification' | 'regression';

export interface NumericFeature {
  name: string;
  kind: 'numeric';
  mean: number;
  /** Population standard deviation over the training rows; 1 for a constant column. */
  std: number;
}

export interface CategoricalFeature {
  name: string;
  kind: 'categorical';
  /** In input order: category i switches on input i of this feature's block. */
  categories: string[];
}

export type Feature = NumericFeature | CategoricalFeature;

export type Target =
  | { name: string; task: 'classification'; classes: string[] }
  | { name: string; task: 'regression'; mean: number; std: number };

export interface Preprocessing {
  features: Feature[];
  target: Target;
}

/** A numeric target with at most this many distinct whole numbers is read as class labels. */
export const MAX_NUMERIC_CLASSES = 10;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, in plain decimal notation; undefined for anything else (text, empty, hex, Infinity). */
export function parseNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Classification when any value is not a number, or the numbers are few distinct whole numbers; else regression. */
export function inferTask(values: readonly string[]): Task {
  const distinct = new Set<number>();
  for (const text of values) {
    const value = parseNumber(text);
    if (value === undefined) return 'classification';
    distinct.add(value);
  }
  const whole = [...distinct].every(Number.isInteger);
  return whole && distinct.size <= MAX_NUMERIC_CLASSES ? 'classification' : 'regression';
}

/** A column is numeric when more than half its values are numbers; the rest are then typos to report. */
export function looksNumeric(values: readonly string[]): boolean {
  let numbers = 0;
  for (const text of values) if (parseNumber(text) !== undefined) numbers++;
  return numbers * 2 > values.length;
}

export interface FitOptions {
  target: string;
  /** Feature columns; default every column but the target. */
  features?: readonly string[];
  /** Columns to treat as categories even where they hold numbers. */
  categorical?: readonly string[];
  /** Overrides the inferred task. */
  task?: Task;
  /** Rows the means and standard deviations come from (the training part of a split); default all. */
  fitRows?: readonly number[];
}

/** Learns the encoding of every feature and of the target from a table; reports the first bad cell. */
export function fitPreprocessing(table: Table, options: FitOptions): Preprocessing {
  const targetIndex = columnIndex(table, options.target, 'target');
  const names = options.features ?? table.header.filter((name) => name !== options.target);
  if (names.includes(options.target)) {
    throw new CliError(`the target column "${options.target}" cannot also be a feature`);
  }
  if (names.length === 0) throw new CliError(`${table.file}: no feature columns besides the target "${options.target}"`);
  for (const name of options.categorical ?? []) columnIndex(table, name, 'categorical');
  const fitRows = options.fitRows ?? table.rows.map((_, r) => r);

  const features = names.map((name): Feature => {
    const column = columnIndex(table, name, 'feature');
    const values = columnValues(table, column);
    if (options.categorical?.includes(name) || !looksNumeric(values)) {
      return { name, kind: 'categorical', categories: sortLabels(values) };
    }
    const numbers = numericColumn(table, column, 'numeric');
    return { name, kind: 'numeric', ...meanStd(fitRows.map((r) => numbers[r])) };
  });

  const targetValues = columnValues(table, targetIndex);
  const task = options.task ?? inferTask(targetValues);
  let target: Target;
  if (task === 'classification') {
    const classes = sortLabels(targetValues);
    if (classes.length < 2) {
      throw new CliError(
        `${table.file}, column "${options.target}": every row has the same value ${JSON.stringify(classes[0])}; classification needs at least 2 classes`,
      );
    }
    target = { name: options.target, task, classes };
  } else {
    const numbers = numericColumn(table, targetIndex, 'regression target');
    target = { name: options.target, task, ...meanStd(fitRows.map((r) => numbers[r])) };
  }
  return { features, target };
}

/** How many network inputs the features take: 1 per numeric feature, 1 per category. */
export function inputWidth(features: readonly Feature[]): number {
  return features.reduce((n, f) => n + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
}

/** The network's output units for a target: one per class, or one number. */
export function outputWidth(target: Target): number {
  return target.task === 'classification' ? target.classes.length : 1;
}

/** Every row's network input; a bad cell (not a number, an unseen category, empty) is a one-line error. */
export function encodeFeatures(table: Table, features: readonly Feature[]): Float32Array[] {
  const width = inputWidth(features);
  const rows = table.rows.map(() => new Float32Array(width));
  let at = 0;
  for (const feature of features) {
    const column = columnIndex(table, feature.name, 'feature');
    if (feature.kind === 'numeric') {
      const numbers = numericColumn(table, column, 'numeric');
      numbers.forEach((x, r) => (rows[r][at] = (x - feature.mean) / feature.std));
      at += 1;
    } else {
      const codes = categoryCodes(table, column, feature.categories, 'a category seen in training');
      codes.forEach((c, r) => (rows[r][at + c] = 1));
      at += feature.categories.length;
    }
  }
  return rows;
}

/** Every row's training target: a one-hot row per class, or the standardized number. */
export function encodeTargets(table: Table, target: Target): Float32Array[] {
  const column = columnIndex(table, target.name, 'target');
  if (target.task === 'classification') {
    return categoryCodes(table, column, target.classes, 'a class seen in training').map((c) => {
      const row = new Float32Array(target.classes.length);
      row[c] = 1;
      return row;
    });
  }
  return numericColumn(table, column, 'regression target').map((y) => Float32Array.of((y - target.mean) / target.std));
}

/** The target column as answers: class indices, or numbers in the data's own units. */
export function targetAnswers(table: Table, target: Target): number[] {
  const column = columnIndex(table, target.name, 'target');
  return target.task === 'classification'
    ? categoryCodes(table, column, target.classes, 'a class seen in training')
    : numericColumn(table, column, 'regression target');
}

/** A network output as an answer: the most probable class index, or the number in the data's units. */
export function decodeOutput(output: ArrayLike<number>, target: Target): number {
  if (target.task === 'regression') return output[0] * target.std + target.mean;
  let best = 0;
  for (let j = 1; j < output.length; j++) if (output[j] > output[best]) best = j;
  return best;
}

function columnValues(table: Table, column: number): string[] {
  return table.rows.map((row, r) => {
    if (row[column] === '') throw new CliError(`${cellName(table, r, column)}: empty; engram does not fill in missing values`);
    return row[column];
  });
}

function numericColumn(table: Table, column: number, kind: string): number[] {
  return table.rows.map((row, r) => {
    const text = row[column];
    const value = parseNumber(text);
    if (value !== undefined) return value;
    if (text === '') throw new CliError(`${cellName(table, r, column)}: empty; engram does not fill in missing values`);
    throw new CliError(`${cellName(table, r, column)}: ${JSON.stringify(text)} is not a number, and this column is ${kind}`);
  });
}

function categoryCodes(table: Table, column: number, labels: readonly string[], what: string): number[] {
  const index = new Map(labels.map((label, i) => [label, i]));
  return columnValues(table, column).map((text, r) => {
    const code = index.get(text);
    if (code === undefined) {
      throw new CliError(`${cellName(table, r, column)}: ${JSON.stringify(text)} is not ${what} (${listSome(labels)})`);
    }
    return code;
  });
}

/** Distinct labels in a stable order: numerically when they are all numbers, else by code point. */
function sortLabels(values: readonly string[]): string[] {
  const distinct = [...new Set(values)];
  if (distinct.every((v) => parseNumber(v) !== undefined)) return distinct.sort((a, b) => Number(a) - Number(b));
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Mean and population standard deviation, in f64; a constant column gets std 1 so it encodes as 0. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
  const std = Math.sqrt(variance);
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

function listSome(labels: readonly string[]): string {
  const shown = labels.slice(0, 8).join(', ');
  return labels.length > 8 ? `${shown}, … ${labels.length} in all` : shown;
}
