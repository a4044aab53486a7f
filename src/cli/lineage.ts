/** `cairn lineage <node>`: where a dataset, run, model or deployment came from and what depends on it. */
import type { Command } from 'commander';
import { CairnError, invalid, type ErrorCode } from '../core/errors.js';
import { parseTrackingServer } from '../serving/config.js';
import { fail } from './output.js';

interface LineageFlags {
  readonly trackingUri?: string;
  readonly upstream?: boolean;
  readonly downstream?: boolean;
  readonly depth?: string;
  readonly impact?: boolean;
  readonly json?: boolean;
}

interface Edge {
  from: string;
  to: string;
  kind: string;
  ended_at: number | null;
}

interface Graph {
  node: string;
  recorded: boolean;
  nodes: { id: string; depth: number; side: string }[];
  edges: Edge[];
}

interface Impact {
  node: string;
  model_versions: { id: string; name: string; version: string }[];
  deployments: { id: string; name: string }[];
  logged_models: { id: string }[];
  runs: { id: string }[];
}

async function getJson(flags: LineageFlags, path: string, query: Record<string, string>): Promise<unknown> {
  const server = parseTrackingServer(flags.trackingUri ?? process.env['MLFLOW_TRACKING_URI'], process.env);
  if (!server) throw invalid('cairn lineage needs a cairn server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI');
  const response = await fetch(`${server.url}${path}?${new URLSearchParams(query)}`, { headers: server.headers }).catch((error: unknown) => {
    throw new CairnError('TEMPORARILY_UNAVAILABLE', `cannot reach ${server.url}: ${(error as Error).message}`);
  });
  const body = (await response.json().catch(() => ({}))) as { error_code?: ErrorCode; message?: string };
  if (!response.ok) throw new CairnError(body.error_code ?? 'INTERNAL_ERROR', body.message ?? `HTTP ${response.status} from ${server.url}`);
  return body;
}

/**
 * Draw one side of the graph as an indented tree from the asked node. A node reached twice is
 * drawn once in full and marked "(see above)" after that, so diamonds do not repeat subtrees.
 */
function drawSide(graph: Graph, side: 'upstream' | 'downstream'): string[] {
  const next = new Map<string, Edge[]>();
  for (const e of graph.edges) {
    const [near, far] = side === 'downstream' ? [e.from, e.to] : [e.to, e.from];
    if (!graph.nodes.some((n) => n.id === far && (n.side === side || n.side === 'self'))) continue;
    next.set(near, [...(next.get(near) ?? []), e]);
  }
  const lines: string[] = [];
  const drawn = new Set<string>([graph.node]);
  const walk = (node: string, indent: string): void => {
    for (const e of next.get(node) ?? []) {
      const far = side === 'downstream' ? e.to : e.from;
      const arrow = side === 'downstream' ? `─${e.kind}→` : `←${e.kind}─`;
      const ended = e.ended_at === null ? '' : ' (ended)';
      const seen = drawn.has(far);
      lines.push(`${indent}${arrow} ${far}${ended}${seen ? ' (see above)' : ''}`);
      if (!seen) {
        drawn.add(far);
        walk(far, `${indent}  `);
      }
    }
  };
  walk(graph.node, '  ');
  return lines;
}

function formatGraph(graph: Graph, sides: readonly ('upstream' | 'downstream')[]): string {
  const lines = [graph.node];
  if (!graph.recorded) lines.push('  (no lineage recorded for this node)');
  for (const side of sides) {
    const drawn = drawSide(graph, side);
    lines.push(`${side}:${drawn.length === 0 ? ' nothing' : ''}`, ...drawn);
  }
  return `${lines.join('\n')}\n`;
}

function formatImpact(impact: Impact): string {
  const list = (items: string[]): string => (items.length === 0 ? '  none' : items.map((i) => `  ${i}`).join('\n'));
  return [
    `What depends on ${impact.node} now:`,
    `model versions (${impact.model_versions.length}):`, list(impact.model_versions.map((m) => `${m.name} version ${m.version}`)),
    `live deployments (${impact.deployments.length}):`, list(impact.deployments.map((d) => d.name)),
    `logged models: ${impact.logged_models.length}, runs: ${impact.runs.length}`,
    '',
  ].join('\n');
}

async function showLineage(node: string, flags: LineageFlags): Promise<void> {
  if (flags.impact) {
    const impact = (await getJson(flags, '/api/v1/lineage/impact', { node })) as Impact;
    process.stdout.write(flags.json ? `${JSON.stringify(impact, null, 2)}\n` : formatImpact(impact));
    return;
  }
  const direction = flags.upstream && !flags.downstream ? 'upstream' : flags.downstream && !flags.upstream ? 'downstream' : 'both';
  const graph = (await getJson(flags, '/api/v1/lineage', { node, direction, ...(flags.depth === undefined ? {} : { depth: flags.depth }) })) as Graph;
  const sides = direction === 'both' ? (['upstream', 'downstream'] as const) : ([direction] as const);
  process.stdout.write(flags.json ? `${JSON.stringify(graph, null, 2)}\n` : formatGraph(graph, sides));
}

/** `cairn lineage <node>`. */
export function registerLineageCommand(program: Command): void {
  program
    .command('lineage')
    .description('Show where a node came from and what depends on it (dataset:<name>@<digest>, run:<id>, logged_model:<id>, model_version:<name>/<version>, deployment:<name>)')
    .argument('<node>', 'the node, e.g. dataset:churn@3f2a... or model_version:churn/4')
    .option('--tracking-uri <uri>', 'cairn server (default: $MLFLOW_TRACKING_URI; token from $MLFLOW_TRACKING_TOKEN)')
    .option('--upstream', 'only what the node came from')
    .option('--downstream', 'only what came from the node')
    .option('--depth <n>', 'how many edges to follow (default 5, at most 50)')
    .option('--impact', 'list the model versions and live deployments that depend on the node, directly or not')
    .option('--json', 'print the answer as JSON')
    .helpOption('--help', 'show this help')
    .action(async (node: string, flags: LineageFlags) => {
      await showLineage(node, flags).catch(fail);
    });
}
