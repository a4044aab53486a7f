/**
 * Which resource owns what a request names: the experiment of a run, logged model, trace or
 * artifact path; the monitor of a retrain trigger; the resource behind a lineage node. Unknown
 * names resolve to `undefined`, so the handler answers its usual 400 or 404.
 */
import { CairnError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import type { ResourceKind } from '../../auth/permissions.js';
import { permissionsOf } from './permission-check.js';
import type { ResourceRef } from './permission-types.js';

/** Run a look-up; a 4xx answer (unknown or malformed id) means "no such resource". */
async function orUndefined<T>(lookUp: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookUp();
  } catch (error) {
    if (error instanceof CairnError && error.httpStatus < 500) return undefined;
    throw error;
  }
}

/** The experiment a run belongs to. */
export async function experimentOfRun(services: Services, runId: string | undefined): Promise<string | undefined> {
  if (!runId) return undefined;
  const info = await orUndefined(() => services.tracking.runs.info(runId));
  return info === undefined ? undefined : String(info.experimentId);
}

/** The experiments of several runs (unknown runs left out). */
export async function experimentsOfRuns(services: Services, runIds: readonly string[]): Promise<string[]> {
  const found = await Promise.all([...new Set(runIds)].map((id) => experimentOfRun(services, id)));
  return [...new Set(found.filter((id): id is string => id !== undefined))];
}

/** The experiment a logged model belongs to. */
export async function experimentOfLoggedModel(services: Services, modelId: string): Promise<string | undefined> {
  const model = await orUndefined(() => services.tracking.loggedModels.get(modelId, true));
  return model === undefined ? undefined : String(model.experimentId);
}

/** The experiments of traces (unknown traces left out). */
export async function experimentsOfTraces(services: Services, traceIds: readonly string[]): Promise<string[]> {
  const traces = await orUndefined(() => services.tracking.traces.getMany(traceIds));
  return [...new Set((traces ?? []).map((t) => String(t.experimentId)))];
}

/** The id of the experiment with a name. */
export async function experimentNamed(services: Services, name: string): Promise<string | undefined> {
  const experiment = await orUndefined(() => services.tracking.experiments.getByName(name));
  return experiment === undefined ? undefined : String(experiment.experimentId);
}

/**
 * The experiments whose artifact location holds a proxied artifact path. `null` (admins only) for
 * the root and for paths no experiment holds; paths with `..`, `%` or backslashes are refused by
 * the artifact store, and must not be matched against a location before that.
 */
export async function experimentsHoldingArtifact(services: Services, path: string | undefined): Promise<string[] | null> {
  const clean = (path ?? '').replace(/^\/+/, '');
  if (clean === '' || /[%\\]/.test(clean) || clean.split('/').some((s) => s === '..' || s === '.')) return null;
  const holders = await permissionsOf(services).experimentsHolding(`mlflow-artifacts:/${clean}`);
  return holders.length > 0 ? holders : null;
}

/** The monitor that left a retrain trigger. */
export function monitorOfTrigger(services: Services, triggerId: string): Promise<string | undefined> {
  return permissionsOf(services).monitorOfTrigger(triggerId);
}

/**
 * The resource behind a lineage node id (`run:<id>`, `dataset:<name>@<digest>`, ...): undefined for
 * nodes that belong to no resource kind (pipeline steps, feature views) or name nothing known.
 */
export async function resourceOfNode(services: Services, node: string): Promise<ResourceRef | undefined> {
  const colon = node.indexOf(':');
  const type = node.slice(0, colon);
  const rest = node.slice(colon + 1);
  const of = (kind: ResourceKind, id: string | undefined): ResourceRef | undefined => (id ? { kind, id } : undefined);
  switch (type) {
    case 'run':
      return of('experiment', await experimentOfRun(services, rest));
    case 'logged_model':
      return of('experiment', await experimentOfLoggedModel(services, rest));
    case 'dataset':
      return of('dataset', rest.slice(0, rest.lastIndexOf('@') === -1 ? undefined : rest.lastIndexOf('@')));
    case 'model_version':
      return of('registered_model', rest.slice(0, rest.lastIndexOf('/') === -1 ? undefined : rest.lastIndexOf('/')));
    case 'deployment':
      return of('deployment', rest);
    default:
      return undefined;
  }
}

/** Whether a resource exists, so a caller without permission on a missing one gets the handler's 404. */
export async function resourceExists(services: Services, kind: ResourceKind, id: string): Promise<boolean> {
  const lookUps: Record<ResourceKind, () => Promise<unknown>> = {
    experiment: () => services.tracking.experiments.get(id),
    registered_model: () => services.registry.models.get(id),
    dataset: () => services.datasets.registry.get(id),
    deployment: () => services.serving.deployments.get(id),
    monitor: () => services.monitors.get(id),
  };
  return (await orUndefined(lookUps[kind])) !== undefined;
}

/** The resources behind lineage nodes; nodes of no resource kind (pipeline steps) need none. */
export async function resourcesOfNodes(services: Services, nodes: readonly string[]): Promise<ResourceRef[]> {
  const found = await Promise.all(nodes.map((node) => resourceOfNode(services, node)));
  return found.filter((ref): ref is ResourceRef => ref !== undefined);
}

/**
 * What registering a version from `source` reads: the experiment of the run or logged model it
 * names, another registered model, or the experiments holding a proxied path; and the experiment
 * of the run the request cites. Without READ on those, a caller could copy another team's model
 * into a registered model of their own. `null` (admins only) for a proxied path no experiment holds.
 */
export async function resourcesReadBySource(services: Services, source: string, runId: string | undefined): Promise<ResourceRef[] | null> {
  const refs: ResourceRef[] = [];
  const add = (kind: ResourceKind, id: string | undefined): void => {
    if (id) refs.push({ kind, id });
  };
  const loggedModel = /^models:\/(m-[A-Za-z0-9_-]+)\/?$/.exec(source);
  const version = /^models:\/([^/]+)\/[^/]+\/?$/.exec(source);
  const run = /^runs:\/([^/]+)/.exec(source);
  if (loggedModel) add('experiment', await experimentOfLoggedModel(services, loggedModel[1] as string));
  else if (version) add('registered_model', version[1]);
  else if (run) add('experiment', await experimentOfRun(services, run[1]));
  else if (source.startsWith('mlflow-artifacts:')) {
    const holders = await experimentsHoldingArtifact(services, source.slice('mlflow-artifacts:'.length));
    if (holders === null) return null;
    for (const holder of holders) add('experiment', holder);
  }
  add('experiment', await experimentOfRun(services, runId));
  return refs;
}

/** The data a monitor's reference and current window read, from a create or update body. */
interface MonitorReads {
  readonly datasets: string[];
  readonly deployments: string[];
  readonly artifacts: string[];
}

function monitorReads(body: unknown): MonitorReads {
  const reads: MonitorReads = { datasets: [], deployments: [], artifacts: [] };
  const spec = (body ?? {}) as Record<string, unknown>;
  for (const source of [spec['reference'], spec['current']]) {
    if (source === null || typeof source !== 'object') continue;
    const s = source as Record<string, unknown>;
    if (s['type'] === 'dataset' && typeof s['dataset'] === 'string') reads.datasets.push(s['dataset']);
    if (s['type'] === 'inference_log' && typeof s['deployment'] === 'string') reads.deployments.push(s['deployment']);
    if (s['type'] === 'artifact' && typeof s['uri'] === 'string') reads.artifacts.push(s['uri']);
  }
  return reads;
}

/**
 * The experiments holding the artifacts a monitor reads (`runs:/`, `mlflow-artifacts:/` or a
 * path in the store); `null` (admins only) when one lies in no experiment.
 */
async function experimentsOfArtifactUris(services: Services, uris: readonly string[]): Promise<string[] | null> {
  const found: string[] = [];
  for (const uri of uris) {
    const run = /^runs:\/([^/]+)/.exec(uri);
    if (run) {
      const experiment = await experimentOfRun(services, run[1]);
      if (experiment !== undefined) found.push(experiment);
      continue;
    }
    const holders = await experimentsHoldingArtifact(services, uri.replace(/^mlflow-artifacts:/, ''));
    if (holders === null) return null;
    found.push(...holders);
  }
  return found;
}

/**
 * READ checks on what a monitor reads: without them, a monitor would let its creator see the
 * distributions of a dataset, a deployment's traffic or a run's files they may not read.
 */
export const monitorReadChecks = [
  { on: 'dataset', need: 'READ', id: ({ body }: { body: unknown }) => monitorReads(body).datasets },
  { on: 'deployment', need: 'READ', id: ({ body }: { body: unknown }) => monitorReads(body).deployments },
  { on: 'experiment', need: 'READ', id: ({ body, services }: { body: unknown; services: Services }) => experimentsOfArtifactUris(services, monitorReads(body).artifacts) },
] as const;
