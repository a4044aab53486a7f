/**
 * Lineage: one graph from data to deployment. Capabilities feed it through the
 * `LineageRecorder` interface in core/lineage.ts; this folder keeps the graph and answers
 * upstream, downstream and impact queries.
 */
import type { Db } from '../store/db.js';
import { Lineage } from './graph.js';

export { Lineage, LINEAGE_LIMITS } from './graph.js';
export type { LineageDirection, LineageEdgeView, LineageGraph, LineageImpact, LineageNodeView } from './graph.js';
export { parseNodeId, type ParsedNode } from './nodes.js';
export { LINEAGE_EDGE_KINDS, LINEAGE_NODE_TYPES, lineageNode, type LineageRecorder, type LineageEvent } from '../core/lineage.js';

/** Build the lineage service over a database. */
export function createLineage(db: Db): Lineage {
  return new Lineage(db);
}
