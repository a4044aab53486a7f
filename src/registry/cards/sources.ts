/**
 * Where a card's generated parts come from: the lineage graph, the dataset registry, tracking,
 * deployments and the artifact store, each asked through its exported service.
 */
import type { Artifacts } from '../../artifacts/index.js';
import { lineageNode } from '../../core/lineage.js';
import type { DatasetsCapability } from '../../datasets/index.js';
import type { Lineage } from '../../lineage/index.js';
import { parseSignature, parseYaml, type Schema } from '../../serving/index.js';
import { resolvePlan, type DeploymentServing } from '../../serving/deployments/index.js';
import type { Tracking } from '../../tracking/index.js';
import type { Registry } from '../index.js';
import type { CardDeployment, CardSources, GateEvaluation, SignatureField, TrainingDataset } from './facts.js';

/** The capabilities a card reads; `managers` answers who holds MANAGE when permissions exist. */
export interface CardCapabilities {
  readonly lineage: Lineage;
  readonly datasets: DatasetsCapability;
  readonly tracking: Tracking;
  readonly serving: DeploymentServing;
  readonly artifacts: Artifacts;
  readonly registry: Registry;
  readonly managers?: (name: string) => Promise<string[]>;
}

/** How far upstream training data is looked for: dataset → run → logged model → version is 3 edges; pipelines add a few. */
const TRAINING_DATA_DEPTH = 10;
/** The gate logs one run per evaluation; a card lists the newest ones. */
const GATE_RUNS_SHOWN = 20;
const EXPERIMENTS_SEARCHED = 1000;

function fieldsOf(schema: Schema | null): SignatureField[] {
  if (!schema) return [];
  if (schema.kind === 'tensors') return schema.tensors.map((t) => ({ name: t.name, type: `tensor ${t.dtype} [${t.shape.join(', ')}]` }));
  return schema.columns.map((c) => ({ name: c.name, type: typeof c.type === 'string' ? c.type : c.type.other }));
}

/** An MLflow filter string literal; null when the text holds both quote characters and cannot be one. */
function quoted(text: string): string | null {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return null;
}

async function trainingData(c: CardCapabilities, name: string, version: number): Promise<TrainingDataset[]> {
  const graph = await c.lineage.graph(lineageNode.modelVersion(name, version), { direction: 'upstream', depth: TRAINING_DATA_DEPTH });
  const out: TrainingDataset[] = [];
  for (const node of graph.nodes.filter((x) => x.type === 'dataset').sort((a, b) => a.depth - b.depth || a.id.localeCompare(b.id))) {
    const key = node.id.slice('dataset:'.length);
    const at = key.lastIndexOf('@');
    const [dataset, digest] = [key.slice(0, at), key.slice(at + 1)];
    const known = await c.datasets.registry.version(dataset, digest).catch(() => undefined);
    out.push({ name: dataset, version: known?.version ?? null, digest, source: known?.source ?? null, sourceType: known?.sourceType ?? null });
  }
  return out;
}

async function gateEvaluations(c: CardCapabilities, name: string, version: number): Promise<GateEvaluation[]> {
  const model = quoted(name);
  if (model === null) return [];
  const experiments = await c.tracking.search.experimentsPage({ maxResults: EXPERIMENTS_SEARCHED });
  const page = await c.tracking.search.runsPage({
    experimentIds: experiments.items.map((e) => e.experimentId),
    filter: `tags.\`cairn.gate.model\` = ${model} and params.candidate_version = '${version}'`,
    maxResults: GATE_RUNS_SHOWN,
    orderBy: ['attributes.start_time DESC'],
  });
  return page.items.map((run) => ({
    runId: run.info.runId,
    passed: run.tags.some((t) => t.key === 'cairn.gate' && t.value === 'passed'),
    championVersion: run.params.find((p) => p.key === 'champion_version')?.value || null,
    startTime: run.info.startTime,
    metrics: run.metrics.map((m) => ({ key: m.key, value: m.value })),
  }));
}

async function deployments(c: CardCapabilities, name: string): Promise<Omit<CardDeployment, 'servesVersion'>[]> {
  const out: Omit<CardDeployment, 'servesVersion'>[] = [];
  for (const d of await c.serving.deployments.list(name)) {
    // What the serving process last reported; before its first report, what the plan names now.
    const plan = d.serving ?? (await resolvePlan(c.registry, d.model, { traffic: d.traffic, shadow: d.shadow }).catch(() => null));
    out.push({ name: d.name, status: d.status, routes: plan?.routes ?? [], shadow: plan?.shadow ?? null });
  }
  return out;
}

/** Build the card's sources over cairn's capabilities. */
export function cardSourcesFrom(c: CardCapabilities): CardSources {
  return Object.freeze({
    trainingData: (name: string, version: number) => trainingData(c, name, version),
    async run(runId: string) {
      const run = await c.tracking.runs.get(runId);
      return { runId, runName: run.info.runName, userId: run.info.userId, metrics: run.metrics.map((m) => ({ key: m.key, value: m.value })) };
    },
    async runOfLoggedModel(modelId: string) {
      return (await c.tracking.loggedModels.get(modelId, true)).sourceRunId ?? undefined;
    },
    gateEvaluations: (name: string, version: number) => gateEvaluations(c, name, version),
    async signature(storageLocation: string) {
      const file = await c.artifacts.downloadUnder(storageLocation, 'MLmodel');
      if (!file) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of file.stream) chunks.push(chunk as Buffer);
      const doc = parseYaml(Buffer.concat(chunks).toString('utf8'));
      const signature = parseSignature(doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc['signature'] : null);
      if (!signature.inputs && !signature.outputs) return null;
      return { inputs: fieldsOf(signature.inputs), outputs: fieldsOf(signature.outputs) };
    },
    deployments: (name: string) => deployments(c, name),
    managers: c.managers ?? (async () => []),
  });
}
