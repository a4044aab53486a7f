/**
 * CSV as `pandas.DataFrame.to_csv()` writes it (RFC 4180 quoting, first row is the header).
 * Cells stay text here; the signature decides what each column's text means.
 */
import { CairnError } from '../core/errors.js';

/** A parsed CSV table: the header and the rows of raw cells. */
export interface CsvTable {
  readonly columns: string[];
  readonly rows: string[][];
}

/** Parse CSV text; a ragged row or an unclosed quote is a 400 naming the line. */
export function parseCsv(text: string): CsvTable {
  const records = splitRecords(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) throw new CairnError('BAD_REQUEST', 'Failed to parse input as CSV: the body is empty; the first line must name the columns.');
  const columns = header.cells;
  const rows = records.map((record) => {
    if (record.cells.length !== columns.length) {
      throw new CairnError('BAD_REQUEST', `Failed to parse input as CSV: line ${record.line} has ${record.cells.length} fields, the header has ${columns.length}.`);
    }
    return record.cells;
  });
  return { columns, rows };
}

function splitRecords(text: string): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let sawAny = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      sawAny = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      sawAny = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (sawAny || cell !== '') {
        cells.push(cell);
        records.push({ cells, line: recordLine });
      }
      cells = [];
      cell = '';
      sawAny = false;
      line++;
      recordLine = line;
    } else {
      cell += c;
      sawAny = true;
    }
  }
  if (quoted) throw new CairnError('BAD_REQUEST', `Failed to parse input as CSV: a quoted field opened on line ${recordLine} is never closed.`);
  if (sawAny || cell !== '') {
    cells.push(cell);
    records.push({ cells, line: recordLine });
  }
  return records;
}
