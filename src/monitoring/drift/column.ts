/**
 * Drift of one column: clean both windows, pick the test (Evidently's default rule unless the
 * caller chose one), run it and compare with the threshold. Missing values and ±inf are dropped
 * first, as Evidently does; a window left empty gives a `not_enough_data` result, not an error.
 */
import { invalid } from '../../core/errors.js';
import { cleanNumeric, countCategories, distinctUnion, numericAsCategories } from './columns.js';
import type { Column, ColumnSample, NumericSample, WindowCounts } from './columns.js';
import { mergeWalk } from './distances.js';
import type { KsMethod } from './ks.js';
import { findTest } from './stattests.js';
import type { TestName } from './stattests.js';

/** How a column is tested: numerical or categorical. */
export type DriftColumnType = 'num' | 'cat';

/** Per-column choices; anything left out follows Evidently's defaults. */
export interface ColumnDriftOptions {
  type: DriftColumnType;
  test?: TestName | undefined;
  threshold?: number | undefined;
  ksMethod?: KsMethod | undefined;
}

/** Result for one column. `score` is what was compared with `threshold` (a p-value or a distance). */
export interface ColumnDrift {
  column: string;
  type: DriftColumnType;
  status: 'tested' | 'not_enough_data';
  test: TestName | null;
  testName: string | null;
  statistic: number | null;
  pValue: number | null;
  score: number | null;
  threshold: number | null;
  drift: boolean;
  /** Distinct non-missing values over both windows (what the default rule looks at). */
  uniqueValues: number;
  reference: WindowCounts;
  current: WindowCounts;
  method?: string;
  note?: string;
}

/** Evidently's `_get_default_stattest`: by reference size, column type and distinct values of both windows. */
export function defaultTest(type: DriftColumnType, referenceRows: number, uniqueValues: number): TestName {
  if (referenceRows <= 1000) {
    if (type === 'num') return uniqueValues > 5 ? 'ks' : uniqueValues > 2 ? 'chisquare' : 'z';
    return uniqueValues > 2 ? 'chisquare' : 'z';
  }
  if (type === 'num') return uniqueValues > 5 ? 'wasserstein' : 'jensenshannon';
  return 'jensenshannon';
}

interface PreparedSample {
  sample: ColumnSample;
  reference: WindowCounts;
  current: WindowCounts;
  referenceKept: number;
  currentKept: number;
  uniqueValues: number;
}

/** Numeric values of a column; categorical labels must all read as numbers. */
function numericValues(name: string, column: Column): { sorted: Float64Array; missing: number; integer: boolean } {
  if (column.kind === 'num') return { ...cleanNumeric(column), integer: column.integer };
  const asNumbers = column.categories.map((label) => (label === 'true' ? 1 : label === 'false' ? 0 : Number(label)));
  const bad = column.categories.find((label, i) => label.trim() === '' || Number.isNaN(asNumbers[i]!));
  if (bad !== undefined) throw invalid(`column '${name}' holds non-numeric values (e.g. '${bad}'), so it cannot be tested as numerical`);
  const values = new Float64Array(column.codes.length);
  column.codes.forEach((code, i) => {
    values[i] = code < 0 ? Number.NaN : asNumbers[code]!;
  });
  return { ...cleanNumeric({ kind: 'num', values, integer: false }), integer: asNumbers.every(Number.isInteger) };
}

function missingCodes(codes: Int32Array): number {
  let missing = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! < 0) missing++;
  return missing;
}

/** Clean both windows and shape them for the requested column type. */
export function prepareSample(name: string, type: DriftColumnType, reference: Column, current: Column): PreparedSample {
  const rows = { reference: reference.kind === 'num' ? reference.values.length : reference.codes.length, current: current.kind === 'num' ? current.values.length : current.codes.length };
  if (type === 'num' || reference.kind === 'num' || current.kind === 'num') {
    const ref = numericValues(name, reference);
    const cur = numericValues(name, current);
    // Both windows non-empty: one merge counts the distinct values and sums the Wasserstein distance.
    const walk = ref.sorted.length > 0 && cur.sorted.length > 0 ? mergeWalk(ref.sorted, cur.sorted) : { distinct: distinctUnion(ref.sorted, cur.sorted), wasserstein: undefined };
    const numeric: NumericSample = { kind: 'num', reference: ref.sorted, current: cur.sorted, integer: ref.integer && cur.integer, ...(walk.wasserstein === undefined ? {} : { wasserstein: walk.wasserstein }) };
    const sample: ColumnSample = type === 'num' ? numeric : { kind: 'cat', counts: numericAsCategories(numeric) };
    return {
      sample,
      reference: { rows: rows.reference, missing: ref.missing },
      current: { rows: rows.current, missing: cur.missing },
      referenceKept: ref.sorted.length,
      currentKept: cur.sorted.length,
      uniqueValues: walk.distinct,
    };
  }
  const counts = countCategories(reference, current);
  return {
    sample: { kind: 'cat', counts },
    reference: { rows: rows.reference, missing: missingCodes(reference.codes) },
    current: { rows: rows.current, missing: missingCodes(current.codes) },
    referenceKept: counts.referenceTotal,
    currentKept: counts.currentTotal,
    uniqueValues: counts.labels.length,
  };
}

/** Drift of one column between the reference and the current window. */
export function driftForColumn(name: string, reference: Column, current: Column, options: ColumnDriftOptions): ColumnDrift {
  const prepared = prepareSample(name, options.type, reference, current);
  return driftForSample(name, prepared, options);
}

/** Run the chosen (or default) test on a prepared sample. */
export function driftForSample(name: string, prepared: PreparedSample, options: ColumnDriftOptions): ColumnDrift {
  const base = {
    column: name,
    type: options.type,
    uniqueValues: prepared.uniqueValues,
    reference: prepared.reference,
    current: prepared.current,
  };
  if (options.test !== undefined) checkTestFits(name, options.test, options.type);
  if (prepared.referenceKept === 0 || prepared.currentKept === 0) {
    const empty = prepared.referenceKept === 0 ? 'reference' : 'current';
    return {
      ...base,
      status: 'not_enough_data',
      test: options.test ?? null,
      testName: null,
      statistic: null,
      pValue: null,
      score: null,
      threshold: null,
      drift: false,
      note: `no non-missing values in the ${empty} window`,
    };
  }
  const testName = options.test ?? defaultTest(options.type, prepared.referenceKept, prepared.uniqueValues);
  const test = findTest(testName)!;
  const threshold = options.threshold ?? test.defaultThreshold;
  const outcome = test.run(prepared.sample, { ksMethod: options.ksMethod ?? 'auto' });
  const result: ColumnDrift = {
    ...base,
    status: 'tested',
    test: testName,
    testName: test.displayName,
    statistic: outcome.statistic,
    pValue: outcome.pValue,
    score: Number.isNaN(outcome.score) ? null : outcome.score,
    threshold,
    drift: Number.isNaN(outcome.score) ? false : test.drifted(outcome.score, threshold),
  };
  if (outcome.method !== undefined) result.method = outcome.method;
  if (outcome.note !== undefined) result.note = outcome.note;
  return result;
}

function checkTestFits(name: string, testName: TestName, type: DriftColumnType): void {
  const test = findTest(testName);
  if (!test) throw invalid(`unknown drift test '${testName}' for column '${name}'`);
  if (!test.kinds.includes(type)) {
    const wanted = test.kinds.includes('num') ? 'numerical' : 'categorical';
    throw invalid(`test '${testName}' applies to ${wanted} columns, but column '${name}' is ${type === 'num' ? 'numerical' : 'categorical'}`);
  }
}
