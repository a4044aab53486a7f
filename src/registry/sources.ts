/**
 * Where a new model version's files are. cairn keeps every artifact inside its configured store,
 * so a version's source must name something already there: a logged model, another version, a
 * run's artifacts, or a proxied `mlflow-artifacts:/` path. Local paths, `file:`, `s3:`, `http:`
 * and the like are refused outright, which closes MLflow's source-path CVEs by construction.
 */
import { RESERVED_PREFIXES } from '../artifacts/index.js';
import { CairnError, invalid, notFound } from '../core/errors.js';
import { artifactKey, parseArtifactUri } from '../core/paths.js';
import type { Db } from '../store/db.js';
import { selectModelVersions } from '../store/registry/versions.js';
import type { RegistryDeps } from './deps.js';
import { parseVersion } from './validation.js';

/** A source turned into a storage location, plus what it tells us about the run and logged model. */
export interface ResolvedSource {
  readonly storageLocation: string;
  readonly runId?: string | null | undefined;
  readonly modelId?: string | undefined;
}

const LOGGED_MODEL = /^models:\/(m-[A-Za-z0-9_-]+)\/?$/;
const MODEL_VERSION = /^models:\/([^/]+)\/([^/]+)\/?$/;
const RUN_PATH = /^runs:\/([^/]+)(?:\/(.*))?$/;
const PROXIED = /^mlflow-artifacts:\//;
/** The scheme-less placeholder `register_prompt` sends: prompts have no files. */
const PROMPT_PLACEHOLDER = /^[\w.-]+$/;

function refuse(source: string, why: string): never {
  throw invalid(
    `Invalid model version source '${source}': ${why}. cairn accepts only models:/<model_id>, models:/<name>/<version>, runs:/<run_id>/<path> and mlflow-artifacts:/<path> sources, so every model stays inside the server's artifact store.`,
  );
}

/**
 * The canonical key of a source's path, by the one canonicaliser every request path goes through
 * (core/paths: full percent-decoding, so `%252e%252e` is caught as '..'); refusals keep the
 * source in the message.
 */
function canonical(source: string, parse: () => string): string {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CairnError) refuse(source, error.message.replace(/^Invalid artifact (path|URI) '.*?': /s, ''));
    throw error;
  }
}

/** A proxied source must name something inside the store, outside cairn's own folders, and inside the run it cites. */
async function checkProxiedSource(deps: RegistryDeps, source: string, runId: string | undefined): Promise<string> {
  const key = canonical(source, () => parseArtifactUri(source));
  if (key === '') refuse(source, 'it names the whole artifact store');
  const top = key.split('/')[0] ?? '';
  if (RESERVED_PREFIXES.includes(top)) refuse(source, `'${top}/' is kept by cairn itself`);
  if (runId) {
    // MLflow PR #11376: a source registered with a run must lie inside that run's artifacts, so a
    // caller cannot launder another run's (or experiment's) files through a version of theirs.
    // A run_id naming no run proves nothing either way; MLflow does not look it up for remote sources.
    const run = await deps.runs.info(runId).catch((error: unknown) => {
      if (error instanceof CairnError && error.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw error;
    });
    const runKey = run && parseArtifactUri(run.artifactUri);
    if (runKey !== undefined && key !== runKey && !key.startsWith(`${runKey}/`)) refuse(source, `it lies outside the artifacts of run ${runId}`);
  }
  return source;
}

/** Resolve a version source to its storage location, or refuse it with a 400; `citedRunId` is the request's run_id. */
export async function resolveSource(db: Db, deps: RegistryDeps, source: string, isPrompt: boolean, citedRunId?: string): Promise<ResolvedSource> {
  if (!source) throw invalid("Missing value for required parameter 'source'.");
  const loggedModel = LOGGED_MODEL.exec(source);
  if (loggedModel) {
    const modelId = loggedModel[1] as string;
    const model = await deps.loggedModels.get(modelId, false);
    return { storageLocation: model.artifactLocation, runId: model.sourceRunId, modelId };
  }
  const version = MODEL_VERSION.exec(source);
  if (version) {
    const name = decodeURIComponent(version[1] as string);
    const number = parseVersion(version[2] as string);
    const [found] = await selectModelVersions(db.kysely, [{ name, version: number }]);
    if (!found) throw notFound(`Model Version (name=${name}, version=${number}) not found`);
    return { storageLocation: found.storageLocation, ...(found.modelId ? { modelId: found.modelId } : {}) };
  }
  if (source.startsWith('models:')) refuse(source, 'a models:/ source must name a logged model (models:/m-<id>) or a version (models:/<name>/<number>)');
  const runPath = RUN_PATH.exec(source);
  if (runPath) {
    const runId = runPath[1] as string;
    const path = canonical(source, () => artifactKey(runPath[2] ?? ''));
    const run = await deps.runs.info(runId);
    const root = run.artifactUri.replace(/\/+$/, '');
    return { storageLocation: path ? `${root}/${path}` : root, runId };
  }
  if (PROXIED.test(source)) return { storageLocation: await checkProxiedSource(deps, source, citedRunId) };
  if (isPrompt && PROMPT_PLACEHOLDER.test(source) && !source.includes('..')) return { storageLocation: source };
  return refuse(source, 'its scheme is not allowed');
}
