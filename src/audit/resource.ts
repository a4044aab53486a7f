/**
 * Which resource a request changed: its kind from the route's path, its id from the validated
 * inputs or, for creations, from the handler's result (the new run's id, the new version number).
 */

/** The kind and id of the resource an audit entry is about. */
export interface AuditResource {
  readonly kind: string;
  readonly id: string;
}

const KIND_BY_SEGMENT: Readonly<Record<string, string>> = {
  experiments: 'experiment',
  runs: 'run',
  'registered-models': 'registered_model',
  'model-versions': 'model_version',
  'logged-models': 'logged_model',
  traces: 'trace',
  artifacts: 'artifact',
  mpu: 'artifact',
  users: 'user',
  tokens: 'token',
  auth: 'session',
  deployments: 'deployment',
  datasets: 'dataset',
  lineage: 'lineage_edge',
  data: 'data_object',
  monitors: 'monitor',
  'retrain-triggers': 'retrain_trigger',
};

const ID_KEYS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  experiment: ['experiment_id'],
  run: ['run_id', 'run_uuid'],
  registered_model: ['name'],
  logged_model: ['model_id'],
  trace: ['trace_id', 'request_id', 'experiment_id'],
  artifact: ['*', 'path'],
  token: ['token_id'],
  retrain_trigger: ['trigger_id'],
  data_object: ['md5'],
};

const FALLBACK_ID_KEYS = ['name', 'id', 'run_id', 'experiment_id', 'model_id', 'trace_id', 'token_id', 'trigger_id'];

// Where the MLflow/cairn path's own words begin: after these prefixes.
const PREFIX = /^\/(?:ajax-)?api\/(?:\d+\.\d+\/mlflow(?:-artifacts)?|v1)\//;

/** The path's words, without the API prefix and without parameters. */
function pathWords(path: string): string[] {
  return path.replace(PREFIX, '').split('/').filter((w) => w !== '' && !w.startsWith(':') && w !== '*');
}

/** The resource kind a route's path names, e.g. 'run' for '/api/2.0/mlflow/runs/log-batch'. */
export function resourceKindOf(path: string): string {
  const first = pathWords(path)[0] ?? 'server';
  return KIND_BY_SEGMENT[first] ?? first.replace(/-/g, '_').replace(/s$/, '');
}

const METHOD_VERBS: Readonly<Record<string, string>> = { POST: 'create', PUT: 'upload', PATCH: 'update', DELETE: 'delete', GET: 'read' };

/** A short verb for the operation, e.g. 'log-batch run', 'create deployment', 'rollback deployment'. */
export function verbOf(method: string, path: string): string {
  const words = pathWords(path);
  const kind = resourceKindOf(path);
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return `${last ?? METHOD_VERBS[method] ?? method.toLowerCase()} ${kind}`;
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.join(',').slice(0, 512);
  }
  return undefined;
}

/** The first of `keys` found in `value`, looking at most `depth` objects deep (breadth first). */
function findKey(value: unknown, keys: readonly string[], depth: number): string | undefined {
  let level: unknown[] = [value];
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      const record = node as Record<string, unknown>;
      for (const key of keys) {
        const found = idText(record[key]);
        if (found !== undefined) return found;
      }
      next.push(...Object.values(record));
    }
    level = next;
  }
  return undefined;
}

function modelVersionId(sources: readonly unknown[]): string | undefined {
  for (const source of sources) {
    const name = findKey(source, ['name'], 2);
    const version = findKey(source, ['version'], 2);
    if (name !== undefined && version !== undefined) return `${name}/${version}`;
  }
  return undefined;
}

/** The resource a request touched: inputs first (params, body, query), then the handler's result. */
export function resourceOf(path: string, inputs: { params: unknown; body: unknown; query: unknown }, result: unknown): AuditResource {
  const kind = resourceKindOf(path);
  const sources = [inputs.params, inputs.body, inputs.query, result];
  if (kind === 'model_version') {
    const id = modelVersionId(sources) ?? findKey(inputs.body, ['name'], 0);
    return { kind, id: id ?? '' };
  }
  for (const keys of [ID_KEYS_BY_KIND[kind] ?? [], FALLBACK_ID_KEYS]) {
    if (keys.length === 0) continue;
    for (const source of sources) {
      const id = findKey(source, keys, source === result ? 3 : 0);
      if (id !== undefined) return { kind, id };
    }
  }
  return { kind, id: '' };
}
