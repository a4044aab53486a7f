/**
 * How `cairn drift` shows results: the JSON document (shape in docs/drift.md), the text table, and
 * the self-contained HTML report with a histogram overlay per column.
 */
import type { ColumnDrift, DatasetDrift, ReportHistogram, SkippedColumn } from '../monitoring/drift/index.js';

/** Where the windows came from, for the report header. */
export interface DriftSources {
  referencePath: string;
  currentPath: string;
  referenceRows: number;
  currentRows: number;
}

/** JSON has no infinity or NaN: infinities become the strings "Infinity"/"-Infinity", NaN becomes null. */
function jsonNumber(value: number | null): number | string | null {
  if (value === null || Number.isNaN(value)) return null;
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

function columnJson(c: ColumnDrift | SkippedColumn): Record<string, unknown> {
  if (c.status === 'skipped') return { column: c.column, type: c.type, status: c.status, drift: false, note: c.note };
  const out: Record<string, unknown> = {
    column: c.column,
    type: c.type,
    status: c.status,
    test: c.test,
    test_name: c.testName,
    statistic: jsonNumber(c.statistic),
    p_value: jsonNumber(c.pValue),
    score: jsonNumber(c.score),
    threshold: c.threshold,
    drift: c.drift,
    unique_values: c.uniqueValues,
    reference: c.reference,
    current: c.current,
  };
  if (c.method !== undefined) out['method'] = c.method;
  if (c.note !== undefined) out['note'] = c.note;
  return out;
}

/** The JSON document `cairn drift --format json` prints. */
export function driftJson(result: DatasetDrift, sources: DriftSources): Record<string, unknown> {
  return {
    reference: { path: sources.referencePath, rows: sources.referenceRows },
    current: { path: sources.currentPath, rows: sources.currentRows },
    columns: result.columns.map(columnJson),
    dataset: {
      number_of_columns: result.numberOfColumns,
      number_of_tested_columns: result.numberOfTestedColumns,
      number_of_drifted_columns: result.numberOfDriftedColumns,
      share_of_drifted_columns: result.shareOfDriftedColumns,
      drift_share: result.driftShare,
      dataset_drift: result.datasetDrift,
    },
  };
}

/** A number in 4 significant digits, small p-values in exponent form. */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a < 1e-3 || a >= 1e6) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** One line per column, then the dataset verdict. */
export function driftTable(result: DatasetDrift): string {
  const header = ['column', 'type', 'test', 'statistic', 'p-value', 'threshold', 'drift'];
  const rows = result.columns.map((c) => {
    if (c.status === 'skipped') return [c.column, c.type, '-', '-', '-', '-', `skipped: ${c.note}`];
    if (c.status === 'not_enough_data') return [c.column, c.type, c.test ?? '-', '-', '-', '-', `not enough data: ${c.note ?? ''}`];
    return [
      c.column,
      c.type,
      c.test ?? '-',
      formatNumber(c.statistic),
      formatNumber(c.pValue),
      formatNumber(c.threshold),
      c.drift ? 'DRIFT' : 'no',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : r[i]!.length))));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const verdict = result.datasetDrift ? 'DRIFT' : 'no drift';
  const summary =
    `dataset: ${verdict} (${result.numberOfDriftedColumns} of ${result.numberOfTestedColumns} tested columns drifted, ` +
    `share ${formatNumber(result.shareOfDriftedColumns)}, threshold ${result.driftShare})`;
  return [line(header), ...rows.map(line), '', summary].join('\n') + '\n';
}

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const CHART_WIDTH = 420;
const CHART_HEIGHT = 120;

/** An inline SVG overlaying the reference (blue) and current (orange) shares per bin or category. */
function histogramSvg(h: ReportHistogram): string {
  const n = h.reference.length;
  const top = Math.max(...h.reference, ...h.current, 1e-12);
  const slot = CHART_WIDTH / n;
  const bars: string[] = [];
  const bar = (share: number, i: number, cls: string, label: string): string => {
    const height = (share / top) * (CHART_HEIGHT - 4);
    return `<rect class="${cls}" x="${(i * slot + 0.5).toFixed(2)}" y="${(CHART_HEIGHT - height).toFixed(2)}" width="${Math.max(slot - 1, 0.5).toFixed(2)}" height="${height.toFixed(2)}"><title>${escapeHtml(label)}: ${formatNumber(share)}</title></rect>`;
  };
  for (let i = 0; i < n; i++) {
    const label = h.kind === 'num' ? `[${formatNumber(h.edges[i]!)}, ${formatNumber(h.edges[i + 1]!)})` : h.labels[i]!;
    bars.push(bar(h.reference[i]!, i, 'ref', `reference ${label}`), bar(h.current[i]!, i, 'cur', `current ${label}`));
  }
  const axis =
    h.kind === 'num'
      ? `<text x="0" y="${CHART_HEIGHT + 14}">${formatNumber(h.edges[0]!)}</text><text x="${CHART_WIDTH}" y="${CHART_HEIGHT + 14}" text-anchor="end">${formatNumber(h.edges[h.edges.length - 1]!)}</text>`
      : h.labels
          .map((l, i) => `<text x="${(i * slot + slot / 2).toFixed(2)}" y="${CHART_HEIGHT + 14}" text-anchor="middle">${escapeHtml(l.length > 8 ? `${l.slice(0, 7)}…` : l)}</text>`)
          .join('');
  return `<svg viewBox="0 -2 ${CHART_WIDTH} ${CHART_HEIGHT + 20}" width="${CHART_WIDTH}" height="${CHART_HEIGHT + 20}" role="img">${bars.join('')}${axis}</svg>`;
}

function columnSection(c: ColumnDrift | SkippedColumn, histogram: ReportHistogram | undefined): string {
  const name = escapeHtml(c.column);
  if (c.status === 'skipped') return `<section class="col"><h2>${name} <span class="tag">${c.type}</span></h2><p class="muted">skipped: ${escapeHtml(c.note)}</p></section>`;
  const verdict = c.status === 'not_enough_data' ? '<span class="tag">not enough data</span>' : c.drift ? '<span class="tag drift">drift</span>' : '<span class="tag ok">no drift</span>';
  const facts = [
    ['test', c.testName ? `${c.testName} (${c.test})` : '-'],
    ['statistic', formatNumber(c.statistic)],
    ['p-value', formatNumber(c.pValue)],
    ['threshold', formatNumber(c.threshold)],
    ['reference rows / missing', `${c.reference.rows} / ${c.reference.missing}`],
    ['current rows / missing', `${c.current.rows} / ${c.current.missing}`],
    ['distinct values', String(c.uniqueValues)],
  ];
  if (c.note) facts.push(['note', c.note]);
  const table = facts.map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`).join('');
  return `<section class="col"><h2>${name} <span class="tag">${c.type}</span> ${verdict}</h2><div class="row"><table>${table}</table>${histogram ? histogramSvg(histogram) : ''}</div></section>`;
}

/** A self-contained HTML page (inline CSS and SVG, no scripts, no data beyond the histograms). */
export function driftHtml(result: DatasetDrift, sources: DriftSources): string {
  const verdict = result.datasetDrift ? 'Dataset drift detected' : 'No dataset drift';
  const sections = result.columns.map((c) => columnSection(c, result.histograms?.[c.column])).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cairn drift report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin:0 0 8px}
.col{border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0}
.row{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse}th{text-align:left;font-weight:500;color:#555;padding:2px 12px 2px 0}td{padding:2px 0}
.tag{font-size:12px;padding:1px 6px;border-radius:4px;background:#eee;font-weight:400}
.drift{background:#fdd;color:#900}.ok{background:#dfd;color:#060}.muted{color:#777}
rect.ref{fill:#1f77b4;fill-opacity:.55}rect.cur{fill:#ff7f0e;fill-opacity:.55}
svg text{font-size:10px;fill:#555}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-2px}
</style></head><body>
<h1>${verdict}</h1>
<p>${result.numberOfDriftedColumns} of ${result.numberOfTestedColumns} tested columns drifted (share ${formatNumber(result.shareOfDriftedColumns)}; the dataset drifts at a share of ${result.driftShare} or more).</p>
<p class="muted">reference: ${escapeHtml(sources.referencePath)} (${sources.referenceRows} rows) · current: ${escapeHtml(sources.currentPath)} (${sources.currentRows} rows)</p>
<p class="legend"><span style="background:#1f77b4;opacity:.55"></span>reference<span style="background:#ff7f0e;opacity:.55"></span>current (share of rows per bin)</p>
${sections}
</body></html>
`;
}
