/**
 * The inference log as a table: one row per scored input row, with the request's input columns,
 * `prediction`, the probabilities when the model returned a list of them per row (`score`, the
 * positive-class probability, for two classes; `probability_0` … `probability_<k−1>` for more),
 * and `label` from the ground truth sent later (empty until it arrives). Shadow copies and failed
 * requests are left out: they are not what callers received.
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

/** Class labels the monitor gave for a probability list (index k is class `classes[k]`). */
export type ClassNames = readonly (string | number)[];

/** Column of the probability of class `k` in the table. */
export const probabilityColumn = (k: number): string => `probability_${k}`;

interface Prediction {
  prediction: Cell;
  score: number | null;
  probabilities: number[] | null;
}

/** A model output row as a prediction (the most probable class for a probability list), plus its probabilities. */
function predictionOf(output: unknown, classes: ClassNames | undefined): Prediction {
  if (Array.isArray(output) && output.length > 0 && output.every((v) => typeof v === 'number')) {
    const probabilities = output as number[];
    const best = probabilities.indexOf(Math.max(...probabilities));
    return { prediction: classes?.[best] ?? best, score: probabilities.length === 2 ? probabilities[1]! : null, probabilities };
  }
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
    const o = output as Record<string, unknown>;
    const value = o['prediction'] ?? o['label'] ?? o['predicted_label'] ?? null;
    return { prediction: cell(value), score: typeof o['score'] === 'number' ? o['score'] : null, probabilities: null };
  }
  return { prediction: cell(output), score: null, probabilities: null };
}

function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** The table of a window's served rows; `classes` names the classes of probability outputs (default: their index). */
export function inferenceTable(rows: readonly InferenceRow[], classes?: ClassNames): { columns: string[]; records: Record<string, Cell>[] } {
  const records: Record<string, Cell>[] = [];
  const inputColumns = new Set<string>();
  let withScore = false;
  let classCount = 0;
  for (const row of rows) {
    if (row.shadow || row.status !== 'ok') continue;
    const inputs = inputRecords(parse(row.inputs), row.rows);
    const outputs = parse(row.outputs);
    const truth = parse(row.ground_truth ?? null);
    inputs.forEach((input, i) => {
      const output = Array.isArray(outputs) ? outputs[i] : inputs.length === 1 ? outputs : null;
      const label = Array.isArray(truth) && truth.length === inputs.length && inputs.length > 1 ? truth[i] : inputs.length === 1 ? truth : null;
      const { prediction, score, probabilities } = predictionOf(output, classes);
      if (score !== null) withScore = true;
      const record: Record<string, Cell> = {};
      for (const [k, v] of Object.entries(input)) {
        inputColumns.add(k);
        record[k] = cell(v);
      }
      const withProbabilities: Record<string, Cell> = { prediction, score };
      // More than two classes: one column per class, for one-vs-rest ROC AUC, log loss and prediction drift.
      if (probabilities && probabilities.length > 2) {
        classCount = Math.max(classCount, probabilities.length);
        probabilities.forEach((p, k) => (withProbabilities[probabilityColumn(k)] = p));
      }
      records.push({ ...record, ...withProbabilities, label: cell(label) });
    });
  }
  const probabilityColumns = Array.from({ length: classCount }, (_, k) => probabilityColumn(k));
  const columns = [...inputColumns, 'prediction', ...(withScore ? ['score'] : []), ...probabilityColumns, 'label'];
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
