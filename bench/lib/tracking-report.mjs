// The closing table of `npm run bench -- tracking`: one row per figure, one column per server,
// and ratios oriented so that > 1 always means cairn did better than MLflow.

const MiB = 1024;

/** Each row: a label, how to read the figure from a server's results, and whether more is better. */
export const FIGURES = [
  { label: 'log_metric loop (sync), calls/s', get: (r) => r.client.log_metric?.calls_per_s, more: true },
  { label: 'log_batch of 10, calls/s', get: (r) => r.client.log_batch_10?.calls_per_s, more: true },
  { label: 'log_batch of 10, metrics/s', get: (r) => r.client.log_batch_10?.metrics_per_s, more: true },
  { label: 'log_batch of 1,000, calls/s', get: (r) => r.client.log_batch_1000?.calls_per_s, more: true },
  { label: 'log_batch of 1,000, metrics/s', get: (r) => r.client.log_batch_1000?.metrics_per_s, more: true },
  { label: 'seeding runs (8 threads), runs/s', get: (r) => r.client.search_runs?.seed_runs_per_s, more: true },
  { label: 'search_runs filter+order, 1,000 of N, ms', get: (r) => r.client.search_runs?.filtered_ms_median, more: false },
  { label: 'mlflow.search_runs all N (pandas), ms', get: (r) => r.client.search_runs?.pandas_ms_median, more: false },
  { label: 'seeding history (4 threads), points/s', get: (r) => r.client.metric_history?.seed_points_per_s, more: true },
  { label: 'get_metric_history, ms', get: (r) => r.client.metric_history?.ms_median, more: false },
  { label: 'artifact upload, MB/s', get: (r) => r.client.artifacts?.upload_mb_per_s, more: true },
  { label: 'artifact download, MB/s', get: (r) => r.client.artifacts?.download_mb_per_s, more: true },
  { label: 'server RSS before artifacts, MiB', get: (r) => r.memory.phases.artifacts?.startKiB / MiB, more: false },
  { label: 'server peak RSS in upload, MiB', get: (r) => r.memory.phases.artifact_upload?.peakKiB / MiB, more: false },
  { label: 'server peak RSS in download, MiB', get: (r) => r.memory.phases.artifact_download?.peakKiB / MiB, more: false },
  { label: 'server peak RSS, whole run, MiB', get: (r) => r.memory.peakKiB / MiB, more: false },
];

function format(value) {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(figure, mlflow, cairn) {
  const a = figure.get(mlflow ?? { client: {}, memory: { phases: {} } });
  const b = figure.get(cairn ?? { client: {}, memory: { phases: {} } });
  if (!a || !b) return undefined;
  return figure.more ? b / a : a / b;
}

/** A Markdown table (it reads fine in a terminal too) of every figure for every server. */
export function resultsTable(results) {
  const { mlflow, cairnSqlite, cairnPostgres } = results;
  const empty = { client: {}, memory: { phases: {} } };
  const rows = [
    '| figure | MLflow | cairn SQLite | cairn PostgreSQL | ratio SQLite | ratio PostgreSQL |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const figure of FIGURES) {
    const cells = [mlflow, cairnSqlite, cairnPostgres].map((r) => format(figure.get(r ?? empty)));
    const ratios = [cairnSqlite, cairnPostgres].map((r) => {
      const value = ratio(figure, mlflow, r);
      return value === undefined ? '–' : `${format(value)}×`;
    });
    rows.push(`| ${figure.label} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return rows.join('\n');
}

/** The targets, checked for each cairn backend that ran: one line each. */
export function targetLines(results) {
  const { mlflow } = results;
  const lines = [];
  const byLabel = (prefix) => FIGURES.find((f) => f.label.startsWith(prefix));
  for (const [name, run] of [['cairn SQLite', results.cairnSqlite], ['cairn PostgreSQL', results.cairnPostgres]]) {
    if (!run) continue;
    const checks = [];
    if (mlflow) {
      const goals = [
        ['log_metric loop', 'log_metric loop', 10],
        ['log_batch of 10', 'log_batch of 10, calls', 10],
        ['log_batch of 1,000', 'log_batch of 1,000, calls', 10],
        ['search_runs filter+order', 'search_runs filter', 50],
        ['mlflow.search_runs (pandas)', 'mlflow.search_runs all', 50],
      ];
      for (const [name, prefix, goal] of goals) {
        const value = ratio(byLabel(prefix), mlflow, run);
        const verdict = value === undefined ? 'not measured' : value >= goal ? 'met' : 'MISSED';
        checks.push(`${name} ≥ ${goal}×: ${value === undefined ? '–' : format(value) + '×'} ${verdict}`);
      }
    }
    const before = run.memory.phases.artifacts?.startKiB;
    const peak = Math.max(run.memory.phases.artifact_upload?.peakKiB ?? 0, run.memory.phases.artifact_download?.peakKiB ?? 0);
    if (before !== undefined && peak > 0) {
      const growthMiB = (peak - before) / MiB;
      const sizeMiB = (run.client.artifacts?.bytes ?? 0) / 2 ** 20;
      // "Constant memory": the growth must not track the file; 64 MiB is far below 1 GiB.
      checks.push(`artifacts at constant memory: grew ${format(growthMiB)} MiB for a ${format(sizeMiB)} MiB file ${growthMiB <= 64 ? 'met' : 'MISSED'}`);
    }
    lines.push(`${name}:`, ...checks.map((check) => `  ${check}`));
  }
  return lines;
}
