import type { Run } from '../api/types.js';
import { metricNumber } from '../format.js';

/** A run flattened for the table: one lookup per cell instead of a scan of arrays. */
export interface RunRow {
  id: string;
  name: string;
  status: string;
  user: string;
  startTime: number | undefined;
  endTime: number | undefined;
  metrics: Record<string, number>;
  params: Record<string, string>;
}

/** Flattens a wire run into a table row. */
export function toRunRow(run: Run): RunRow {
  const metrics: Record<string, number> = {};
  for (const metric of run.data?.metrics ?? []) metrics[metric.key] = metricNumber(metric.value);
  const params: Record<string, string> = {};
  for (const param of run.data?.params ?? []) params[param.key] = param.value;
  const runNameTag = run.data?.tags?.find((tag) => tag.key === 'mlflow.runName')?.value;
  return {
    id: run.info.run_id,
    name: run.info.run_name || runNameTag || run.info.run_id,
    status: run.info.status ?? '',
    user: run.info.user_id ?? '',
    startTime: run.info.start_time,
    endTime: run.info.end_time,
    metrics,
    params,
  };
}

/** The metric and param keys that appear in any of the rows, each sorted. */
export function collectKeys(rows: readonly RunRow[]): { metricKeys: string[]; paramKeys: string[] } {
  const metricKeys = new Set<string>();
  const paramKeys = new Set<string>();
  for (const row of rows) {
    for (const key in row.metrics) metricKeys.add(key);
    for (const key in row.params) paramKeys.add(key);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return { metricKeys: [...metricKeys].sort(byName), paramKeys: [...paramKeys].sort(byName) };
}

/** What a runs-table column shows. */
export type ColumnKind = 'attribute' | 'metric' | 'param';

/** A column of the runs table. */
export interface RunColumn {
  id: string;
  kind: ColumnKind;
  key: string;
  label: string;
  width: number;
}

/** The fixed attribute columns, before any metrics or params. */
export const ATTRIBUTE_COLUMNS: readonly RunColumn[] = [
  { id: 'attr:name', kind: 'attribute', key: 'name', label: 'Run name', width: 220 },
  { id: 'attr:status', kind: 'attribute', key: 'status', label: 'Status', width: 100 },
  { id: 'attr:start', kind: 'attribute', key: 'start', label: 'Started', width: 180 },
  { id: 'attr:duration', kind: 'attribute', key: 'duration', label: 'Duration', width: 90 },
  { id: 'attr:user', kind: 'attribute', key: 'user', label: 'User', width: 110 },
];

/** Builds a metric or param column for a key. */
export function dataColumn(kind: 'metric' | 'param', key: string): RunColumn {
  return { id: `${kind}:${key}`, kind, key, label: key, width: 130 };
}

/** The value a column sorts by; undefined (missing) always sorts last. */
export function sortValue(row: RunRow, column: RunColumn): number | string | undefined {
  switch (column.kind) {
    case 'metric': {
      const value = row.metrics[column.key];
      return value === undefined || Number.isNaN(value) ? undefined : value;
    }
    case 'param': {
      const value = row.params[column.key];
      if (value === undefined) return undefined;
      // Params are strings on the wire, but "lr=0.01" should sort numerically.
      const asNumber = Number(value);
      return value.trim() !== '' && Number.isFinite(asNumber) ? asNumber : value;
    }
    case 'attribute':
      return attributeSortValue(row, column.key);
  }
}

function attributeSortValue(row: RunRow, key: string): number | string | undefined {
  switch (key) {
    case 'name':
      return row.name;
    case 'status':
      return row.status;
    case 'start':
      return row.startTime;
    case 'duration':
      return row.startTime && row.endTime ? row.endTime - row.startTime : undefined;
    case 'user':
      return row.user;
    default:
      return undefined;
  }
}

/** A sort order: which column, and which way. */
export interface RunSort {
  columnId: string;
  descending: boolean;
}

/** Returns the rows sorted by one column, keeping missing values at the end either way. */
export function sortRows(rows: readonly RunRow[], column: RunColumn, descending: boolean): RunRow[] {
  const keyed = rows.map((row) => ({ row, value: sortValue(row, column) }));
  keyed.sort((a, b) => {
    if (a.value === undefined) return b.value === undefined ? 0 : 1;
    if (b.value === undefined) return -1;
    let order: number;
    if (typeof a.value === 'number' && typeof b.value === 'number') order = a.value - b.value;
    else order = String(a.value).localeCompare(String(b.value), undefined, { numeric: true });
    return descending ? -order : order;
  });
  return keyed.map((entry) => entry.row);
}
