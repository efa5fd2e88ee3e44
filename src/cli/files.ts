// Writing output files all at once: into a temporary file beside the destination, then renamed over
// it, so that a failure (a bad row found late, a full disk, Ctrl-C) never leaves half a file behind.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.js';
import { fileProblem } from './csv.js';

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    const missingFolder = (error as { code?: string }).code === 'ENOENT';
    throw new CliError(`${file}: cannot write: ${missingFolder ? `no folder ${dirname(file)}` : fileProblem(error)}`);
  }
}
