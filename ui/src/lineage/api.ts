/** The lineage graph as /api/v1/lineage answers it, and links from its nodes to their pages. */
import { getV1 } from '../datasets/api.js';

export interface LineageNode {
  id: string;
  type: string;
  depth: number;
  side: 'self' | 'upstream' | 'downstream';
  created_at: number | null;
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: string;
  created_at: number;
  ended_at: number | null;
}

export interface LineageGraph {
  node: string;
  recorded: boolean;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export interface LineageImpact {
  node: string;
  model_versions: { id: string; name: string; version: string; depth: number }[];
  deployments: { id: string; name: string; depth: number }[];
  logged_models: { id: string; model_id: string }[];
  runs: { id: string; run_id: string }[];
}

export type Direction = 'both' | 'upstream' | 'downstream';

export const getGraph = (node: string, direction: Direction, depth: number) => getV1<LineageGraph>('lineage', { node, direction, depth });
export const getImpact = (node: string) => getV1<LineageImpact>('lineage/impact', { node });
export const recentNodes = () => getV1<{ nodes: { id: string; type: string; created_at: number }[] }>('lineage/nodes', { max_results: 50 });

/** A node id's type and the part after `type:`. */
export function splitNode(id: string): { type: string; key: string } {
  const colon = id.indexOf(':');
  return { type: id.slice(0, colon), key: id.slice(colon + 1) };
}

const TYPE_LABELS: Record<string, string> = {
  dataset: 'Dataset',
  run: 'Run',
  logged_model: 'Logged model',
  model_version: 'Model version',
  deployment: 'Deployment',
  pipeline_step: 'Pipeline step',
  feature_view: 'Feature view',
};

/** A node's type in words. */
export const typeLabel = (type: string): string => TYPE_LABELS[type] ?? type;

/** What a node is called in the graph: a short, readable form of its key. */
export function nodeTitle(id: string): string {
  const { type, key } = splitNode(id);
  if (type === 'dataset') {
    const at = key.lastIndexOf('@');
    const digest = key.slice(at + 1);
    return `${key.slice(0, at)} @${digest.length > 10 ? digest.slice(0, 8) : digest}`;
  }
  if (type === 'model_version') {
    const slash = key.lastIndexOf('/');
    return `${key.slice(0, slash)} v${key.slice(slash + 1)}`;
  }
  if (type === 'run' && key.length > 12) return key.slice(0, 12);
  return key;
}

/** The page that shows a node, when the UI has one. */
export function pageOf(id: string): string | undefined {
  const { type, key } = splitNode(id);
  if (type === 'run') return `/runs/${encodeURIComponent(key)}`;
  if (type === 'model_version') return `/models/${encodeURIComponent(key.slice(0, key.lastIndexOf('/')))}`;
  if (type === 'dataset') {
    const at = key.lastIndexOf('@');
    return `/datasets/${encodeURIComponent(key.slice(0, at))}/versions/${encodeURIComponent(key.slice(at + 1))}`;
  }
  return undefined;
}
