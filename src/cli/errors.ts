// What the command line reports to people: a CliError is a problem with what they gave it (a file, a
// row, a flag), printed as one line with no stack trace; anything else is a bug in engram.

/** A problem with the user's input; `exitCode` 1, or 2 for a malformed command line. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** A malformed command line (unknown flag, missing argument): exit status 2, with a pointer to --help. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
