/** Lay a lineage graph out left to right with ELK's layered algorithm: sources left, deployments right. */
import ELK from 'elkjs/lib/elk.bundled.js';

/** Every node is drawn this size, so ELK and the drawing agree. */
export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 54;

const elk = new ELK();

/** Positions (top-left corners) for each node id. */
export async function layoutGraph(nodeIds: readonly string[], edges: readonly { from: string; to: string }[]): Promise<Map<string, { x: number; y: number }>> {
  const known = new Set(nodeIds);
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    },
    children: nodeIds.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    // ELK refuses edges to nodes it was not given; a walk's edges always join walked nodes, but be safe.
    edges: edges.filter((e) => known.has(e.from) && known.has(e.to)).map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  return new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
