// Reading a CSV file into a table of trimmed strings, with every structural problem (a missing or
// unreadable file, an empty file, a blank or repeated header, a ragged row) reported as one line that
// names the file, the row and the column.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliError } from './errors.js';

export interface Table {
  /** The path as the user wrote it: every message names it. */
  file: string;
  header: string[];
  /** Data rows (the header excluded), each exactly header.length values. */
  rows: string[][];
  /** The file line each data row ends on (1-based), for messages. */
  lines: number[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

export function readCsv(file: string): Table {
  const text = readText(file);
  if (text.trim() === '') throw new CliError(`${file}: the file is empty; a CSV file needs a header row and data rows`);
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new CliError(`${file}${e.lines ? `, line ${e.lines}` : ''}: not valid CSV: ${e.message ?? String(error)}`);
  }
  const [first, ...data] = records;
  const header = first.record;
  header.forEach((name, i) => {
    if (name === '') throw new CliError(`${file}, line ${first.info.lines}, column ${i + 1}: the header names no column here`);
    const earlier = header.indexOf(name);
    if (earlier < i) throw new CliError(`${file}, line ${first.info.lines}, column ${i + 1}: "${name}" repeats the name of column ${earlier + 1}`);
  });
  if (data.length === 0) throw new CliError(`${file}: the header is there but no data rows follow it`);
  data.forEach(({ record, info }, r) => {
    if (record.length === header.length) return;
    const where = `${file}, row ${r + 1} (line ${info.lines})`;
    if (record.length < header.length) {
      throw new CliError(
        `${where}, column "${header[record.length]}": missing; the row has ${record.length} value${record.length === 1 ? '' : 's'} but the header has ${header.length} columns`,
      );
    }
    throw new CliError(
      `${where}, column ${header.length + 1}: extra value ${JSON.stringify(record[header.length])}; the header has only ${header.length} columns`,
    );
  });
  return { file, header, rows: data.map((d) => d.record), lines: data.map((d) => d.info.lines) };
}

/** The index of a named column, or a one-line error listing the columns there are. */
export function columnIndex(table: Table, name: string, role: string): number {
  const index = table.header.indexOf(name);
  if (index < 0) {
    throw new CliError(`${table.file}: no ${role} column "${name}"; the columns are ${table.header.join(', ')}`);
  }
  return index;
}

/** Where a value sits, for a message: file, data row, file line and column name. */
export function cellName(table: Table, row: number, column: number): string {
  return `${table.file}, row ${row + 1} (line ${table.lines[row]}), column "${table.header[column]}"`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: ${fileProblem(error)}`);
  }
}

/** A system error in words, without the stack. */
export function fileProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (error as Error).message ?? String(error);
  }
}
