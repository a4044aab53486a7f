/**
 * Lineage answers cross every resource kind, so they are filtered node by node: a node whose
 * resource the caller may not read is left out, with every edge that touches it. Nodes of no
 * resource kind (pipeline steps, feature views) and nodes naming nothing known stay visible.
 */
import type { FastifyRequest } from 'fastify';
import { readableHas, type Readable, type ResourceKind } from '../../auth/permissions.js';
import type { Services } from '../../services.js';
import { readableBy } from './permission-check.js';
import { resourceOfNode } from './permission-owners.js';

type Caller = { request: FastifyRequest; services: Services };

/** A test for node ids: whether the caller may see the node. */
export async function visibleNodes(caller: Caller, nodeIds: readonly string[]): Promise<(node: string) => boolean> {
  const readable = new Map<ResourceKind, Readable>();
  const hidden = new Set<string>();
  for (const node of new Set(nodeIds)) {
    const ref = await resourceOfNode(caller.services, node);
    if (!ref) continue;
    let filter = readable.get(ref.kind);
    if (!filter) {
      filter = await readableBy(caller, ref.kind);
      readable.set(ref.kind, filter);
    }
    if (!readableHas(filter, ref.id)) hidden.add(node);
  }
  return (node) => !hidden.has(node);
}

/** A lineage neighbourhood without the nodes the caller may not read, nor their edges. */
export async function visibleGraph<G extends { nodes: { id: string }[]; edges: { from: string; to: string }[] }>(caller: Caller, graph: G): Promise<G> {
  const visible = await visibleNodes(caller, graph.nodes.map((n) => n.id));
  return { ...graph, nodes: graph.nodes.filter((n) => visible(n.id)), edges: graph.edges.filter((e) => visible(e.from) && visible(e.to)) };
}
