/**
 * The column shapes the drift engine reads, and the cleaned samples the tests run on.
 * Missing values are NaN (numeric) or code −1 (categorical); ±inf count as missing, as in Evidently.
 */
import { sortFiniteInPlace } from './sort.js';

/**
 * A numeric column: NaN marks a missing value. `integer` is numpy's integer dtype (affects binning).
 * The drift engine sorts `values` in place (finite values first, ascending, then NaN).
 */
export interface NumericColumn {
  kind: 'num';
  values: Float64Array;
  integer: boolean;
}

/** A dictionary-encoded column: codes index `categories`, −1 marks a missing value. */
export interface CategoricalColumn {
  kind: 'cat';
  codes: Int32Array;
  categories: readonly string[];
  /** The labels are numbers (an integer or boolean source), so they order numerically. */
  numericLabels: boolean;
}

/** Either column shape. */
export type Column = NumericColumn | CategoricalColumn;

/** Per-category counts of both windows over the union of their categories, in sorted label order. */
export interface CategoryCounts {
  labels: string[];
  reference: Float64Array;
  current: Float64Array;
  referenceTotal: number;
  currentTotal: number;
}

/** A numeric column pair after cleaning: finite values only, sorted ascending. */
export interface NumericSample {
  kind: 'num';
  reference: Float64Array;
  current: Float64Array;
  integer: boolean;
  /** W1 between the windows, when already computed in the walk that counted distinct values. */
  wasserstein?: number;
}

/** A categorical column pair after cleaning. */
export interface CategoricalSample {
  kind: 'cat';
  counts: CategoryCounts;
}

/** What a statistical test receives. */
export type ColumnSample = NumericSample | CategoricalSample;

/** Rows and missing values of one window of one column. */
export interface WindowCounts {
  rows: number;
  missing: number;
}

/** The finite values of a numeric column, sorted (in place), and how many were missing. */
export function cleanNumeric(column: NumericColumn): { sorted: Float64Array; missing: number } {
  return sortFiniteInPlace(column.values);
}

/** Order labels as pandas would sort the original values: numerically, or by code point. */
export function compareLabels(numeric: boolean): (a: string, b: string) => number {
  if (numeric) return (a, b) => labelNumber(a) - labelNumber(b);
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

function labelNumber(label: string): number {
  if (label === 'true') return 1;
  if (label === 'false') return 0;
  return Number(label);
}

/** Count categories of both windows over the union of their labels. */
export function countCategories(reference: CategoricalColumn, current: CategoricalColumn): CategoryCounts {
  const refCounts = codeCounts(reference);
  const curCounts = codeCounts(current);
  const byLabel = new Map<string, [number, number]>();
  reference.categories.forEach((label, i) => {
    if (refCounts[i]! > 0) byLabel.set(label, [refCounts[i]!, 0]);
  });
  current.categories.forEach((label, i) => {
    if (curCounts[i]! === 0) return;
    const entry = byLabel.get(label);
    if (entry) entry[1] += curCounts[i]!;
    else byLabel.set(label, [0, curCounts[i]!]);
  });
  const labels = [...byLabel.keys()].sort(compareLabels(reference.numericLabels && current.numericLabels));
  const ref = new Float64Array(labels.length);
  const cur = new Float64Array(labels.length);
  labels.forEach((label, i) => {
    const [r, c] = byLabel.get(label)!;
    ref[i] = r;
    cur[i] = c;
  });
  return { labels, reference: ref, current: cur, referenceTotal: sum(ref), currentTotal: sum(cur) };
}

function codeCounts(column: CategoricalColumn): Float64Array {
  const counts = new Float64Array(column.categories.length);
  const codes = column.codes;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** Treat each distinct value of a numeric sample as a category (Evidently's small-cardinality tests). */
export function numericAsCategories(sample: NumericSample): CategoryCounts {
  const a = sample.reference;
  const b = sample.current;
  const labels: string[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const v = i < a.length && (j >= b.length || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const i0 = i;
    const j0 = j;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    labels.push(String(v));
    ref.push(i - i0);
    cur.push(j - j0);
  }
  return {
    labels,
    reference: Float64Array.from(ref),
    current: Float64Array.from(cur),
    referenceTotal: a.length,
    currentTotal: b.length,
  };
}

/** Number of distinct values in a sorted array. */
export function distinctSorted(sorted: Float64Array): number {
  let count = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  return count;
}

/** Number of distinct values in the union of two sorted arrays (a merge that takes one value per step). */
export function distinctUnion(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  let last = Number.NaN;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    let v: number;
    if (x <= y) {
      v = x;
      i++;
    } else {
      v = y;
      j++;
    }
    if (v !== last) {
      count++;
      last = v;
    }
  }
  for (const rest of [a.subarray(i), b.subarray(j)]) {
    for (let k = 0; k < rest.length; k++) {
      if (rest[k] !== last) {
        count++;
        last = rest[k]!;
      }
    }
  }
  return count;
}
