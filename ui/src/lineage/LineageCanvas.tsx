import { Background, Controls, MarkerType, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, Loading } from '../components.js';
import { nodeTitle, typeLabel, type LineageGraph } from './api.js';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout.js';

/** The graph, laid out by ELK and drawn by React Flow; clicking a node selects it. */
export function LineageCanvas({ graph, selected, onSelect }: { graph: LineageGraph; selected: string | undefined; onSelect: (id: string) => void }) {
  const ids = graph.nodes.map((n) => n.id);
  const layout = useQuery({
    queryKey: ['lineage-layout', ids, graph.edges.map((e) => `${e.from}>${e.to}`)],
    queryFn: () => layoutGraph(ids, graph.edges),
  });
  if (layout.isPending) return <Loading>Laying out the graph…</Loading>;
  if (layout.error) return <ErrorNotice error={layout.error} title="Could not lay out the graph" />;
  const nodes: Node[] = graph.nodes.map((n) => ({
    id: n.id,
    position: layout.data.get(n.id) ?? { x: 0, y: 0 },
    data: {
      label: (
        <div className="lineage-label" title={n.id}>
          <span className="lineage-type">{typeLabel(n.type)}</span>
          <span className="lineage-title">{nodeTitle(n.id)}</span>
        </div>
      ),
    },
    className: `lineage-node type-${n.type}${n.side === 'self' ? ' self' : ''}${n.id === selected ? ' picked' : ''}`,
    style: { width: NODE_WIDTH, height: NODE_HEIGHT },
    connectable: false,
    draggable: true,
    sourcePosition: 'right' as Node['sourcePosition'],
    targetPosition: 'left' as Node['targetPosition'],
  }));
  const edges: Edge[] = graph.edges.map((e) => ({
    id: `${e.from}>${e.to}>${e.kind}`,
    source: e.from,
    target: e.to,
    label: e.ended_at === null ? e.kind : `${e.kind} (ended)`,
    markerEnd: { type: MarkerType.ArrowClosed },
    className: e.ended_at === null ? 'lineage-edge' : 'lineage-edge ended',
    ...(e.ended_at === null ? {} : { style: { strokeDasharray: '5 4' } }),
  }));
  return (
    <div className="lineage-canvas" data-testid="lineage-canvas">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesConnectable={false} onNodeClick={(_event, node) => onSelect(node.id)} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
