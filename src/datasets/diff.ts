/**
 * What changed between two dataset versions: files added, removed and changed, and for tables,
 * schema changes and how each column's statistics moved, with the moves worth a look flagged.
 */
import type { ColumnProfile } from './profile.js';

/** A statistic before and after; delta is after − before when both are numbers. */
export interface NumberChange {
  from: number | null;
  to: number | null;
  delta: number | null;
}

/** A table as a diff sees it: rows and columns, with full statistics when the version was profiled. */
export interface TableSummary {
  path: string;
  rows: number | null;
  columns: { name: string; type: string; profile?: ColumnProfile }[];
}

export interface ColumnShift {
  name: string;
  type: string;
  nullShare: NumberChange;
  distinct: NumberChange;
  mean?: NumberChange;
  std?: NumberChange;
  min?: NumberChange;
  max?: NumberChange;
  median?: NumberChange;
  /** Frequent values that entered or left the top list. */
  topEntered?: string[];
  topLeft?: string[];
  /** Why this column deserves a look (empty when nothing moved much). */
  notable: string[];
}

export interface TableDiff {
  path: string;
  /** Set when the compared table had another name in the older version. */
  fromPath?: string;
  rows: NumberChange;
  schema: { added: { name: string; type: string }[]; removed: { name: string; type: string }[]; retyped: { name: string; from: string; to: string }[] };
  columns: ColumnShift[];
}

/** A file as a diff lists it. */
export interface FileSide {
  path: string;
  md5: string;
  sizeBytes: number | null;
}

export interface FileChanges {
  added: FileSide[];
  removed: FileSide[];
  changed: { path: string; fromMd5: string; toMd5: string; fromSize: number | null; toSize: number | null }[];
  unchanged: number;
}

/**
 * Thresholds for flagging a column (change monitoring, not a statistical test): the null share
 * moved by 5 points or more, the mean by half a standard deviation (of the older version) or more,
 * the distinct count or the row count by 20% or more.
 */
export const SHIFT_THRESHOLDS = Object.freeze({ nullShare: 0.05, meanInStd: 0.5, relative: 0.2 });

const change = (from: number | null | undefined, to: number | null | undefined): NumberChange => ({
  from: from ?? null,
  to: to ?? null,
  delta: typeof from === 'number' && typeof to === 'number' ? to - from : null,
});

const asNumber = (value: number | string | null | undefined): number | null => (typeof value === 'number' ? value : null);

function relativeMove(c: NumberChange): number | null {
  if (c.from === null || c.to === null) return null;
  if (c.from === 0) return c.to === 0 ? 0 : Infinity;
  return Math.abs(c.to - c.from) / Math.abs(c.from);
}

/** Files added, removed and changed between two versions, by path. */
export function diffFiles(before: readonly FileSide[], after: readonly FileSide[]): FileChanges {
  const old = new Map(before.map((f) => [f.path, f]));
  const out: FileChanges = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const f of after) {
    const was = old.get(f.path);
    if (!was) out.added.push(f);
    else if (was.md5 !== f.md5) out.changed.push({ path: f.path, fromMd5: was.md5, toMd5: f.md5, fromSize: was.sizeBytes, toSize: f.sizeBytes });
    else out.unchanged++;
    old.delete(f.path);
  }
  out.removed = [...old.values()];
  return out;
}

function shiftOf(name: string, type: string, a: ColumnProfile | undefined, b: ColumnProfile | undefined): ColumnShift {
  const shift: ColumnShift = { name, type, nullShare: change(a?.nullShare, b?.nullShare), distinct: change(a?.distinct, b?.distinct), notable: [] };
  if (a?.kind === 'numeric' && b?.kind === 'numeric') {
    shift.mean = change(a.mean, b.mean);
    shift.std = change(a.std, b.std);
    shift.min = change(asNumber(a.min), asNumber(b.min));
    shift.max = change(asNumber(a.max), asNumber(b.max));
    shift.median = change(a.quantiles?.['0.5'], b.quantiles?.['0.5']);
    const std = a.std ?? null;
    const delta = shift.mean.delta;
    if (delta !== null && std !== null && std > 0 && Math.abs(delta) >= SHIFT_THRESHOLDS.meanInStd * std) {
      shift.notable.push(`mean moved by ${(Math.abs(delta) / std).toFixed(2)} standard deviations`);
    }
  }
  if (a?.top && b?.top) {
    const was = new Set(a.top.map((t) => t.value));
    const now = new Set(b.top.map((t) => t.value));
    shift.topEntered = [...now].filter((v) => !was.has(v));
    shift.topLeft = [...was].filter((v) => !now.has(v));
    if (shift.topEntered.length > 0) shift.notable.push(`new frequent values: ${shift.topEntered.join(', ')}`);
  }
  if (shift.nullShare.delta !== null && Math.abs(shift.nullShare.delta) >= SHIFT_THRESHOLDS.nullShare) {
    shift.notable.push(`null share moved from ${(shift.nullShare.from ?? 0).toFixed(3)} to ${(shift.nullShare.to ?? 0).toFixed(3)}`);
  }
  const distinctMove = relativeMove(shift.distinct);
  if (a?.kind === 'categorical' && distinctMove !== null && distinctMove >= SHIFT_THRESHOLDS.relative) {
    shift.notable.push(`distinct values went from ${shift.distinct.from} to ${shift.distinct.to}`);
  }
  return shift;
}

/** Schema changes and per-column statistic shifts between two versions of a table. */
export function diffTables(before: TableSummary, after: TableSummary): TableDiff {
  const old = new Map(before.columns.map((c) => [c.name, c]));
  const diff: TableDiff = {
    path: after.path,
    ...(before.path === after.path ? {} : { fromPath: before.path }),
    rows: change(before.rows, after.rows),
    schema: { added: [], removed: [], retyped: [] },
    columns: [],
  };
  for (const col of after.columns) {
    const was = old.get(col.name);
    if (!was) {
      diff.schema.added.push({ name: col.name, type: col.type });
      continue;
    }
    if (was.type !== col.type) diff.schema.retyped.push({ name: col.name, from: was.type, to: col.type });
    diff.columns.push(shiftOf(col.name, col.type, was.profile, col.profile));
  }
  const now = new Set(after.columns.map((c) => c.name));
  diff.schema.removed = before.columns.filter((c) => !now.has(c.name)).map((c) => ({ name: c.name, type: c.type }));
  return diff;
}

/** Whether the row count moved enough to mention (used by summaries). */
export function rowsMovedNotably(rows: NumberChange): boolean {
  const move = relativeMove(rows);
  return move !== null && move >= SHIFT_THRESHOLDS.relative;
}
