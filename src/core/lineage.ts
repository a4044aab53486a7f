/**
 * The lineage event interface: how a capability says "this came from that" without knowing
 * where or how the graph is kept. Capabilities take a `LineageRecorder` as a constructor
 * dependency; the composition root hands them the lineage service's recorder.
 */

/** The kinds of things the graph links. Pipeline steps and feature views join as they arrive. */
export const LINEAGE_NODE_TYPES = ['dataset', 'run', 'logged_model', 'model_version', 'deployment', 'pipeline_step', 'feature_view'] as const;
export type LineageNodeType = (typeof LINEAGE_NODE_TYPES)[number];

/**
 * How a `to` node derives from its `from` node; edges always point the way data flows.
 * input: a dataset (or model) was read by a run; output: a run produced a logged model;
 * registered: a logged model (or run) became a model version; served: a deployment serves a version;
 * derived: anything else a pipeline or feature view records.
 */
export const LINEAGE_EDGE_KINDS = ['input', 'output', 'registered', 'served', 'derived'] as const;
export type LineageEdgeKind = (typeof LINEAGE_EDGE_KINDS)[number];

/**
 * A node id: `dataset:<name>@<digest>`, `run:<id>`, `logged_model:<id>`,
 * `model_version:<name>/<version>`, `deployment:<name>`, `pipeline_step:<id>`, `feature_view:<name>`.
 */
export type LineageNodeId = string;

/** Facts the recording capability knows about a node, kept by whoever listens (a dataset's source and schema). */
export type LineageFacts = Readonly<Record<string, string>>;

/** One "this came from that" statement. */
export interface LineageEvent {
  readonly from: LineageNodeId;
  readonly to: LineageNodeId;
  readonly kind: LineageEdgeKind;
  /** Facts about `from` (for a dataset logged through MLflow: source, source_type, schema, profile, created_by). */
  readonly fromFacts?: LineageFacts;
}

/** What capabilities call. Recording the same edge twice is a no-op; ending one that is not there too. */
export interface LineageRecorder {
  /** Record that `to` derives from `from`. */
  record(event: LineageEvent): Promise<void>;
  /** Say an edge no longer holds now (a deployment stopped serving a version); history keeps it. */
  end(event: Omit<LineageEvent, 'fromFacts'>): Promise<void>;
}

/** A recorder that keeps nothing, for capabilities built without lineage (tools, some tests). */
export const NO_LINEAGE: LineageRecorder = Object.freeze({
  record: async () => undefined,
  end: async () => undefined,
});

/** Node id builders, so every capability spells ids the same way. */
export const lineageNode = Object.freeze({
  dataset: (name: string, digest: string): LineageNodeId => `dataset:${name}@${digest}`,
  run: (runId: string): LineageNodeId => `run:${runId}`,
  loggedModel: (modelId: string): LineageNodeId => `logged_model:${modelId}`,
  modelVersion: (name: string, version: string | number): LineageNodeId => `model_version:${name}/${version}`,
  deployment: (name: string): LineageNodeId => `deployment:${name}`,
});

/** Fan one event out to several recorders (the graph, and the dataset registry that keeps logged datasets). */
export function fanOutRecorder(recorders: readonly LineageRecorder[]): LineageRecorder {
  return Object.freeze({
    async record(event: LineageEvent) {
      for (const r of recorders) await r.record(event);
    },
    async end(event: Omit<LineageEvent, 'fromFacts'>) {
      for (const r of recorders) await r.end(event);
    },
  });
}
