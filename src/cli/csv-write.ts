// Writing rows as CSV (RFC 4180): a field is quoted when it holds a comma, a quote, a line break or
// leading/trailing space, with quotes doubled inside.

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(field).join(',')).join('\n') + '\n';
}

function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
