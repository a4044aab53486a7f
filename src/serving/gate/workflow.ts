/** The GitHub Actions workflow `cairn init ci` writes: run the gate on pull requests, promote on main. */
import { stringify } from 'yaml';
import type { GateMetric } from './metrics.js';

/** What the workflow's gate step compares. */
export interface WorkflowOptions {
  readonly model: string;
  readonly candidate: string;
  readonly champion: string;
  readonly data: string;
  readonly label: string;
  readonly metric: GateMetric;
  readonly minDelta: number | null;
  readonly maxP95LatencyMs: number | null;
  /** Alias moved on a pass, on pushes to the default branch only. */
  readonly promote: string | null;
  readonly branch: string;
}

const shellQuote = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** The workflow file's text. */
export function githubWorkflow(options: WorkflowOptions): string {
  const args = [
    'cairn gate',
    `--model ${shellQuote(options.model)}`,
    `--candidate ${shellQuote(options.candidate)}`,
    `--champion ${shellQuote(options.champion)}`,
    `--data ${shellQuote(options.data)}`,
    `--label ${shellQuote(options.label)}`,
    `--metric ${options.metric}`,
    ...(options.minDelta === null ? [] : [`--min-delta ${options.minDelta}`]),
    ...(options.maxP95LatencyMs === null ? [] : [`--max-p95-latency-ms ${options.maxP95LatencyMs}`]),
  ].join(' ');
  const promote = options.promote
    ? `\nif [ "$GITHUB_EVENT_NAME" = "push" ] && [ "$GITHUB_REF" = "refs/heads/${options.branch}" ]; then PROMOTE="--promote ${shellQuote(options.promote)}"; fi`
    : '';
  const workflow = {
    name: `cairn gate: ${options.model}`,
    on: { pull_request: {}, push: { branches: [options.branch] }, workflow_dispatch: {} },
    permissions: { contents: 'read' },
    jobs: {
      gate: {
        'runs-on': 'ubuntu-latest',
        env: {
          MLFLOW_TRACKING_URI: '${{ secrets.MLFLOW_TRACKING_URI }}',
          MLFLOW_TRACKING_TOKEN: '${{ secrets.MLFLOW_TRACKING_TOKEN }}',
        },
        steps: [
          { uses: 'actions/checkout@v4' },
          { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
          { name: 'Install cairn', run: 'npm install --global cairn' },
          { name: 'Gate the candidate against the champion', run: `PROMOTE=""${promote}\n${args} $PROMOTE\n` },
        ],
      },
    },
  };
  return `# Written by \`cairn init ci\`. Set the MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN secrets.\n${stringify(workflow, { lineWidth: 0 })}`;
}
