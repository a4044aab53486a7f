/**
 * The inference log as a table: one row per scored input row, with the request's input columns,
 * `prediction` (and `score`, the positive-class probability, when the model returned two
 * probabilities) and `label` from the ground truth sent later (empty until it arrives). Shadow
 * copies and failed requests are left out: they are not what callers received.
 */
import { writeFile } from 'node:fs/promises';
import type { InferenceRow } from '../../serving/inference-log/index.js';

type Cell = string | number | boolean | null;

const parse = (text: string | null | undefined): unknown => {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/** The input rows of a request as column → value records. */
function inputRecords(inputs: unknown, rows: number): Record<string, unknown>[] {
  if (Array.isArray(inputs)) {
    return inputs.map((row) => {
      if (row !== null && typeof row === 'object' && !Array.isArray(row)) return row as Record<string, unknown>;
      if (Array.isArray(row)) return Object.fromEntries(row.map((v, i) => [`input_${i}`, v]));
      return { input_0: row };
    });
  }
  if (inputs !== null && typeof inputs === 'object') {
    // Named inputs ({name: values}): each name is a column, one value per row.
    const named = Object.entries(inputs as Record<string, unknown>);
    return Array.from({ length: rows }, (_, i) => Object.fromEntries(named.map(([k, v]) => [k, Array.isArray(v) ? v[i] : v])));
  }
  return Array.from({ length: rows }, () => ({}));
}

/** A model output row as a prediction, plus the positive-class probability for two-class outputs. */
function predictionOf(output: unknown): { prediction: Cell; score: number | null } {
  if (Array.isArray(output) && output.length > 0 && output.every((v) => typeof v === 'number')) {
    const probabilities = output as number[];
    const best = probabilities.indexOf(Math.max(...probabilities));
    return { prediction: best, score: probabilities.length === 2 ? probabilities[1]! : null };
  }
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
    const o = output as Record<string, unknown>;
    const value = o['prediction'] ?? o['label'] ?? o['predicted_label'] ?? null;
    return { prediction: cell(value), score: typeof o['score'] === 'number' ? o['score'] : null };
  }
  return { prediction: cell(output), score: null };
}

function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** The table of a window's served rows. */
export function inferenceTable(rows: readonly InferenceRow[]): { columns: string[]; records: Record<string, Cell>[] } {
  const records: Record<string, Cell>[] = [];
  const inputColumns = new Set<string>();
  let withScore = false;
  for (const row of rows) {
    if (row.shadow || row.status !== 'ok') continue;
    const inputs = inputRecords(parse(row.inputs), row.rows);
    const outputs = parse(row.outputs);
    const truth = parse(row.ground_truth ?? null);
    inputs.forEach((input, i) => {
      const output = Array.isArray(outputs) ? outputs[i] : inputs.length === 1 ? outputs : null;
      const label = Array.isArray(truth) && truth.length === inputs.length && inputs.length > 1 ? truth[i] : inputs.length === 1 ? truth : null;
      const { prediction, score } = predictionOf(output);
      if (score !== null) withScore = true;
      const record: Record<string, Cell> = {};
      for (const [k, v] of Object.entries(input)) {
        inputColumns.add(k);
        record[k] = cell(v);
      }
      records.push({ ...record, prediction, score, label: cell(label) });
    });
  }
  const columns = [...inputColumns, 'prediction', ...(withScore ? ['score'] : []), 'label'];
  return { columns, records };
}

function csvCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `"${value.replaceAll('"', '""')}"`;
}

/** Write the table as CSV (missing values empty, text quoted) for DuckDB to read. */
export async function writeInferenceCsv(path: string, table: { columns: string[]; records: Record<string, Cell>[] }): Promise<void> {
  const lines = [table.columns.map((c) => csvCell(c)).join(',')];
  for (const r of table.records) lines.push(table.columns.map((c) => csvCell(r[c])).join(','));
  await writeFile(path, `${lines.join('\n')}\n`);
}
