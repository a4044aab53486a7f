#!/usr/bin/env node
// Runs cairn's compiled drift engine (dist/monitoring/drift) on a batch of cases read as JSON
// from stdin and writes the answers as JSON to stdout, so the pytest suites can compare them
// with scipy and Evidently in one process start. Infinite and NaN numbers are written as the
// strings "Infinity", "-Infinity" and "NaN".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/monitoring/drift/', import.meta.url));
const drift = await import(`${dist}index.js`);

const toNumbers = (values) => Float64Array.from(values, (v) => (v === null || v === 'NaN' ? Number.NaN : Number(v)));
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const sorted = (values) => toNumbers(values).filter(Number.isFinite).sort();

/** A column from JSON: numbers (null = missing) or strings (null = missing). */
function column(values, integer) {
  if (values.every((v) => v === null || typeof v === 'number' || NON_FINITE.has(v))) return { kind: 'num', values: toNumbers(values), integer: Boolean(integer) };
  const categories = [];
  const index = new Map();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    const label = String(v);
    if (!index.has(label)) {
      index.set(label, categories.length);
      categories.push(label);
    }
    return index.get(label);
  });
  return { kind: 'cat', codes, categories, numericLabels: false };
}

function run(c) {
  switch (c.op) {
    case 'ks': {
      const r = drift.ksTwoSample(sorted(c.a), sorted(c.b), c.method ?? 'auto');
      return { statistic: r.statistic, pvalue: r.pValue, method: r.method };
    }
    case 'kstwo_sf':
      return { value: drift.kolmogorovSurvival(c.n, c.x) };
    case 'smirnov':
      return { value: drift.smirnovSurvival(c.n, c.x) };
    case 'chi2_sf':
      return { value: drift.chiSquareSurvival(c.x, c.df) };
    case 'norm_sf':
      return { value: drift.normalSurvival(c.x) };
    case 'column': {
      const r = drift.driftForColumn('x', column(c.reference, c.integer), column(c.current, c.integer), {
        type: c.type,
        test: c.test ?? undefined,
        threshold: c.threshold ?? undefined,
        ksMethod: c.method ?? undefined,
      });
      return r;
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const answers = cases.map((c) => {
  try {
    return run(c);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
});
process.stdout.write(
  JSON.stringify(answers, (_key, value) => {
    if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return value;
  }),
);
