/** The lineage service: records edges from every capability's events and answers graph queries. */
import { nowMs } from '../core/clock.js';
import { invalid } from '../core/errors.js';
import { LINEAGE_EDGE_KINDS, LINEAGE_NODE_TYPES, type LineageEdgeKind, type LineageEvent, type LineageNodeType, type LineageRecorder } from '../core/lineage.js';
import type { Db } from '../store/db.js';
import * as store from '../store/lineage/graph.js';
import { parseNodeId } from './nodes.js';

/** How deep a graph query may look; impact walks to the end of any realistic chain. */
export const LINEAGE_LIMITS = Object.freeze({ defaultDepth: 5, maxDepth: 50, impactDepth: 100, listMax: 1000 });

export type LineageDirection = 'upstream' | 'downstream' | 'both';

/** A node in an answer: its id and type, and how many edges away from the asked node it is. */
export interface LineageNodeView {
  readonly id: string;
  readonly type: LineageNodeType;
  readonly depth: number;
  /** Which side of the asked node it is on ('self' for the node itself). */
  readonly side: 'self' | 'upstream' | 'downstream';
  readonly createdAt: number | null;
}

export interface LineageEdgeView {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly createdAt: number;
  readonly endedAt: number | null;
}

/** A neighbourhood of the graph around one node. */
export interface LineageGraph {
  readonly node: string;
  /** False when nothing has ever been recorded about the node. */
  readonly recorded: boolean;
  readonly nodes: LineageNodeView[];
  readonly edges: LineageEdgeView[];
}

/** What depends on a node, now: model versions and the deployments serving them. */
export interface LineageImpact {
  readonly node: string;
  readonly modelVersions: { id: string; name: string; version: string; depth: number }[];
  readonly deployments: { id: string; name: string; depth: number }[];
  readonly loggedModels: { id: string; modelId: string; depth: number }[];
  readonly runs: { id: string; runId: string; depth: number }[];
}

const isEdgeKind = (value: string): value is LineageEdgeKind => (LINEAGE_EDGE_KINDS as readonly string[]).includes(value);

function checkKind(kind: string): LineageEdgeKind {
  if (!isEdgeKind(kind)) throw invalid(`Invalid value '${kind}' for parameter 'kind': one of ${LINEAGE_EDGE_KINDS.join(', ')}`);
  return kind;
}

function checkDepth(depth: number | undefined): number {
  const d = depth ?? LINEAGE_LIMITS.defaultDepth;
  if (!Number.isInteger(d) || d < 0 || d > LINEAGE_LIMITS.maxDepth) {
    throw invalid(`Invalid value ${String(depth)} for parameter 'depth': a whole number from 0 to ${LINEAGE_LIMITS.maxDepth}`);
  }
  return d;
}

/** The lineage graph. Also the recorder every capability is handed. */
export class Lineage implements LineageRecorder {
  constructor(private readonly db: Db) {}

  async record(event: LineageEvent): Promise<void> {
    const from = parseNodeId(event.from, 'from');
    const to = parseNodeId(event.to, 'to');
    if (from.id === to.id) throw invalid(`A lineage edge needs two different nodes, got '${from.id}' twice`);
    await store.insertEdge(this.db.kysely, { from: from.id, fromType: from.type, to: to.id, toType: to.type, kind: checkKind(event.kind) }, nowMs());
  }

  async end(event: Omit<LineageEvent, 'fromFacts'>): Promise<void> {
    await store.endEdge(this.db.kysely, { from: parseNodeId(event.from, 'from').id, to: parseNodeId(event.to, 'to').id, kind: checkKind(event.kind) }, nowMs());
  }

  /** The nodes and edges within `depth` edges of `node`, upstream, downstream or both. */
  async graph(node: string, options: { direction?: LineageDirection | undefined; depth?: number | undefined; includeEnded?: boolean | undefined } = {}): Promise<LineageGraph> {
    const root = parseNodeId(node);
    const maxDepth = checkDepth(options.depth);
    const direction = options.direction ?? 'both';
    const sides = direction === 'both' ? (['upstream', 'downstream'] as const) : ([direction] as const);
    const depths = new Map<string, { depth: number; side: LineageNodeView['side'] }>([[root.id, { depth: 0, side: 'self' }]]);
    const edges = new Map<string, LineageEdgeView>();
    for (const side of sides) {
      const walk = { direction: side, maxDepth, currentOnly: !(options.includeEnded ?? true) };
      for (const reached of await store.walkNodes(this.db.kysely, root.id, walk)) {
        if (!depths.has(reached.id)) depths.set(reached.id, { depth: reached.depth, side });
      }
      for (const e of await store.walkEdges(this.db.kysely, root.id, walk)) edges.set(`${e.from}\n${e.to}\n${e.kind}`, e);
    }
    const stored = new Map((await store.selectNodes(this.db.kysely, [...depths.keys()])).map((n) => [n.id, n]));
    const nodes = [...depths].map(([id, at]) => ({
      id,
      type: parseNodeId(id).type,
      depth: at.depth,
      side: at.side,
      createdAt: stored.get(id)?.createdAt ?? null,
    }));
    return { node: root.id, recorded: stored.has(root.id), nodes, edges: [...edges.values()] };
  }

  /**
   * Everything that depends on `node` now, directly or not: the walk follows only edges that still
   * hold, so a deployment appears while it serves a dependent version and not after.
   */
  async impact(node: string): Promise<LineageImpact> {
    const root = parseNodeId(node);
    const reached = await store.walkNodes(this.db.kysely, root.id, { direction: 'downstream', maxDepth: LINEAGE_LIMITS.impactDepth, currentOnly: true });
    const out: LineageImpact = { node: root.id, modelVersions: [], deployments: [], loggedModels: [], runs: [] };
    for (const r of reached) {
      if (r.id === root.id) continue;
      const parsed = parseNodeId(r.id);
      if (parsed.type === 'model_version') {
        const slash = parsed.key.lastIndexOf('/');
        out.modelVersions.push({ id: r.id, name: parsed.key.slice(0, slash), version: parsed.key.slice(slash + 1), depth: r.depth });
      } else if (parsed.type === 'deployment') out.deployments.push({ id: r.id, name: parsed.key, depth: r.depth });
      else if (parsed.type === 'logged_model') out.loggedModels.push({ id: r.id, modelId: parsed.key, depth: r.depth });
      else if (parsed.type === 'run') out.runs.push({ id: r.id, runId: parsed.key, depth: r.depth });
    }
    return out;
  }

  /** Recorded nodes, newest first: of one type, and/or whose id starts with `prefix`. */
  async nodes(options: { type?: string | undefined; prefix?: string | undefined; limit?: number | undefined } = {}): Promise<store.NodeRow[]> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > LINEAGE_LIMITS.listMax) {
      throw invalid(`Invalid value ${limit} for parameter 'max_results': a whole number from 1 to ${LINEAGE_LIMITS.listMax}`);
    }
    if (options.type !== undefined && !(LINEAGE_NODE_TYPES as readonly string[]).includes(options.type)) {
      throw invalid(`Invalid value '${options.type}' for parameter 'type': one of ${LINEAGE_NODE_TYPES.join(', ')}`);
    }
    return store.listNodes(this.db.kysely, options.type, options.prefix, limit);
  }
}
