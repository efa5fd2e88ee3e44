// The command line's grammar: which commands there are, their flags (Node's util.parseArgs), the
// help text, and the checks that turn flag strings into values, each failure a UsageError.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import type { Task } from './preprocess.js';

export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'elu', 'linear'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];
const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;

export const USAGE = `engram: train and use neural networks on CSV files

usage:
  engram train <data.csv> --target <column> [options]   learn a model; writes model.json
  engram predict <model.json> <new.csv> [--out <file>]  one prediction per row (CSV on stdout, or to --out)
  engram evaluate <model.json> <test.csv>               accuracy and confusion matrix, or MAE/RMSE/R²
  engram info <model.json>                              what a model file holds
  engram export <model.json> --onnx <model.onnx>        the model as ONNX, for ONNX Runtime and friends

train options:
  --target <column>          the column to predict (required)
  --layers <sizes>           hidden layer sizes, e.g. 16,8 (default 16,8)
  --activation <name>        hidden activation: ${HIDDEN_ACTIVATIONS.join(', ')} (default relu)
  --epochs <n>               passes over the training rows (default 200)
  --batch-size <n>           rows per gradient step (default 16)
  --learning-rate <x>        (default 0.003)
  --optimizer <name>         ${OPTIMIZERS.join(', ')} (default adam)
  --validation <fraction>    rows held out to validate, picked at random (default 0.2; 0 for none)
  --seed <n>                 same seed, same model (default 42)
  --task <task>              classification or regression (default: inferred from the target)
  --categorical <columns>    columns to one-hot encode even though they hold numbers
  --features <columns>       the columns to learn from (default: all but the target)
  --out <file>               where to write the model (default model.json)
  --onnx <file>              also write the model as ONNX (as engram export does)

A target that is text, or at most 10 distinct whole numbers, means classification (softmax outputs,
cross-entropy loss); any other numeric target means regression (mean squared error).`;

export interface TrainArgs {
  command: 'train';
  data: string;
  target: string;
  layers: number[];
  activation: HiddenActivation;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: (typeof OPTIMIZERS)[number];
  validation: number;
  seed: number;
  task?: Task;
  categorical: string[];
  features?: string[];
  out: string;
  onnx?: string;
}

export interface PredictArgs {
  command: 'predict';
  model: string;
  data: string;
  out?: string;
}

export interface EvaluateArgs {
  command: 'evaluate';
  model: string;
  data: string;
}

export interface InfoArgs {
  command: 'info';
  model: string;
}

export interface ExportArgs {
  command: 'export';
  model: string;
  onnx: string;
}

export type Args =
  | TrainArgs | PredictArgs | EvaluateArgs | InfoArgs | ExportArgs | { command: 'help' } | { command: 'version' };

type Options = NonNullable<ParseArgsConfig['options']>;

const TRAIN_OPTIONS: Options = {
  target: { type: 'string' },
  layers: { type: 'string', default: '16,8' },
  activation: { type: 'string', default: 'relu' },
  epochs: { type: 'string', default: '200' },
  'batch-size': { type: 'string', default: '16' },
  'learning-rate': { type: 'string', default: '0.003' },
  optimizer: { type: 'string', default: 'adam' },
  validation: { type: 'string', default: '0.2' },
  seed: { type: 'string', default: '42' },
  task: { type: 'string' },
  categorical: { type: 'string' },
  features: { type: 'string' },
  out: { type: 'string', default: 'model.json' },
  onnx: { type: 'string' },
};

export function parseCommandLine(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  switch (command) {
    case 'train': {
      const { values, positionals } = parse(rest, TRAIN_OPTIONS, 'train', ['data.csv']);
      const v = values as Record<string, string | undefined>;
      if (v.target === undefined) throw new UsageError('train needs --target <column>: the column to predict');
      return {
        command,
        data: positionals[0],
        target: v.target,
        layers: list(v.layers!, '--layers').map((s) => wholeNumber(s, '--layers', 1)),
        activation: choice(v.activation!, HIDDEN_ACTIVATIONS, '--activation'),
        epochs: wholeNumber(v.epochs!, '--epochs', 1),
        batchSize: wholeNumber(v['batch-size']!, '--batch-size', 1),
        learningRate: positiveNumber(v['learning-rate']!, '--learning-rate'),
        optimizer: choice(v.optimizer!, OPTIMIZERS, '--optimizer'),
        validation: fraction(v.validation!, '--validation'),
        seed: wholeNumber(v.seed!, '--seed', 0),
        task: v.task === undefined ? undefined : choice(v.task, ['classification', 'regression'] as const, '--task'),
        categorical: v.categorical === undefined ? [] : list(v.categorical, '--categorical'),
        features: v.features === undefined ? undefined : list(v.features, '--features'),
        out: v.out!,
        onnx: v.onnx,
      };
    }
    case 'predict': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } }, 'predict', ['model.json', 'data.csv']);
      return { command, model: positionals[0], data: positionals[1], out: values.out as string | undefined };
    }
    case 'evaluate': {
      const { positionals } = parse(rest, {}, 'evaluate', ['model.json', 'data.csv']);
      return { command, model: positionals[0], data: positionals[1] };
    }
    case 'info': {
      const { positionals } = parse(rest, {}, 'info', ['model.json']);
      return { command, model: positionals[0] };
    }
    case 'export': {
      const { values, positionals } = parse(rest, { onnx: { type: 'string' } }, 'export', ['model.json']);
      if (values.onnx === undefined) throw new UsageError('export needs --onnx <file>: where to write the ONNX model');
      return { command, model: positionals[0], onnx: values.onnx as string };
    }
    default:
      throw new UsageError(`unknown command "${command}"; the commands are train, predict, evaluate, info and export`);
  }
}

function parse(args: string[], options: Options, command: string, wanted: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs words its errors for programmers ("Unknown option '--x'. To specify a positional…"): keep the first sentence.
    throw new UsageError(`${command}: ${(error as Error).message.split('. ')[0]}`);
  }
  const { positionals } = parsed;
  if (positionals.length < wanted.length) {
    throw new UsageError(`${command} needs ${wanted.map((w) => `<${w}>`).join(' ')}; missing <${wanted[positionals.length]}>`);
  }
  if (positionals.length > wanted.length) {
    throw new UsageError(`${command} takes ${wanted.map((w) => `<${w}>`).join(' ')}; unexpected "${positionals[wanted.length]}"`);
  }
  return parsed;
}

function list(text: string, flag: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${flag} takes a comma-separated list with no empty items, got "${text}"`);
  return items;
}

function wholeNumber(text: string, flag: string, least: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < least) {
    throw new UsageError(`${flag} takes whole numbers of at least ${least}, got "${text}"`);
  }
  return value;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} takes a positive number, got "${text}"`);
  return value;
}

function fraction(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(`${flag} takes a fraction from 0 up to (not including) 1, got "${text}"`);
  }
  return value;
}

function choice<T extends string>(text: string, options: readonly T[], flag: string): T {
  if (!(options as readonly string[]).includes(text)) throw new UsageError(`${flag} is one of ${options.join(', ')}; got "${text}"`);
  return text as T;
}
