// Training progress: a live bar on a terminal (cli-progress: epoch, loss, validation, ETA), and on
// anything else (a pipe, a log file, CI) about ten plain lines, with no cursor movement or colour.

import { SingleBar } from 'cli-progress';
import { num, percent } from './format.js';

export interface EpochReport {
  /** 1-based. */
  epoch: number;
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface Progress {
  update(report: EpochReport): void;
  stop(): void;
}

export function createProgress(epochs: number, stream: NodeJS.WriteStream): Progress {
  return stream.isTTY ? barProgress(epochs, stream) : lineProgress(epochs, stream);
}

function validation(report: EpochReport): string {
  let text = '';
  if (report.valLoss !== undefined) text += `  val loss ${num(report.valLoss)}`;
  if (report.valAccuracy !== undefined) text += `  val accuracy ${percent(report.valAccuracy)}`;
  return text;
}

function barProgress(epochs: number, stream: NodeJS.WriteStream): Progress {
  const bar = new SingleBar({
    format: 'epoch {value}/{total} {bar} loss {loss}{validation}  ETA {eta_formatted}',
    stream,
    barsize: 24,
    // A hidden cursor would stay hidden after Ctrl-C.
    hideCursor: false,
    etaBuffer: 50,
    barCompleteChar: '█',
    barIncompleteChar: '░',
  });
  bar.start(epochs, 0, { loss: '…', validation: '' });
  return {
    update: (report) => bar.update(report.epoch, { loss: num(report.loss), validation: validation(report) }),
    stop: () => bar.stop(),
  };
}

function lineProgress(epochs: number, stream: NodeJS.WriteStream): Progress {
  const every = Math.max(1, Math.ceil(epochs / 10));
  let last: EpochReport | undefined;
  let printed = 0;
  const print = (report: EpochReport) => {
    stream.write(`epoch ${String(report.epoch).padStart(String(epochs).length)}/${epochs}  loss ${num(report.loss)}${validation(report)}\n`);
    printed = report.epoch;
  };
  return {
    update(report) {
      last = report;
      if (report.epoch % every === 0 || report.epoch === epochs) print(report);
    },
    // Training that stops early still reports its last epoch.
    stop: () => {
      if (last && printed !== last.epoch) print(last);
    },
  };
}
