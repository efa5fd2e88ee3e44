// The `engram` command: dispatch to a command, and turn every failure into one line on stderr and a
// non-zero exit status (1 for bad input, 2 for a malformed command line), never a stack trace.
// ENGRAM_DEBUG=1 prints the stack of unexpected errors, for bug reports.

import { parseCommandLine, USAGE } from './args.js';
import { CliError, UsageError } from './errors.js';
import { evaluate } from './commands/evaluate.js';
import { exportModel } from './commands/export.js';
import { info } from './commands/info.js';
import { predict } from './commands/predict.js';
import { train } from './commands/train.js';

/** The package version, put in by the build (scripts/build-cli.mjs). */
declare const ENGRAM_VERSION: string;

async function main(argv: string[]): Promise<number> {
  const { stdout, stderr } = process;
  try {
    const args = parseCommandLine(argv);
    switch (args.command) {
      case 'help':
        stdout.write(USAGE + '\n');
        break;
      case 'version':
        stdout.write(`engram ${typeof ENGRAM_VERSION === 'string' ? ENGRAM_VERSION : 'development'}\n`);
        break;
      case 'train':
        await train(args, stdout);
        break;
      case 'predict':
        await predict(args, stdout, stderr);
        break;
      case 'evaluate':
        await evaluate(args, stdout);
        break;
      case 'info':
        await info(args, stdout);
        break;
      case 'export':
        await exportModel(args, stdout);
        break;
    }
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      stderr.write(`engram: ${oneLine(error.message)}${error instanceof UsageError ? ' (engram --help lists the commands)' : ''}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`engram: unexpected error: ${oneLine(message)}; please report it (ENGRAM_DEBUG=1 shows where)\n`);
    if (process.env.ENGRAM_DEBUG) stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

// A closed pipe (engram train … | head) is the reader's choice, not an error: the rest of the output
// is dropped, and the command still finishes its work (train still writes the model file).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  throw error;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
