/**
 * Where a new model version's files are. cairn keeps every artifact inside its configured store,
 * so a version's source must name something already there: a logged model, another version, a
 * run's artifacts, or a proxied `mlflow-artifacts:/` path. Local paths, `file:`, `s3:`, `http:`
 * and the like are refused outright, which closes MLflow's source-path CVEs by construction.
 */
import { invalid, notFound } from '../core/errors.js';
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

/** Refuse path tricks: parent references (also percent-encoded), backslashes, query, fragment, `;`, NUL. */
function checkPath(source: string, path: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    refuse(source, 'it is not valid percent-encoding');
  }
  for (const text of [path, decoded]) {
    if (text.includes('..')) refuse(source, "it contains '..'");
    if (/[\\#?;\0]/.test(text)) refuse(source, "it contains one of \\ # ? ; or a NUL character");
  }
}

/** Resolve a version source to its storage location, or refuse it with a 400. */
export async function resolveSource(db: Db, deps: RegistryDeps, source: string, isPrompt: boolean): Promise<ResolvedSource> {
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
    const path = (runPath[2] ?? '').replace(/^\/+|\/+$/g, '');
    checkPath(source, path);
    const run = await deps.runs.info(runId);
    const root = run.artifactUri.replace(/\/+$/, '');
    return { storageLocation: path ? `${root}/${path}` : root, runId };
  }
  if (PROXIED.test(source)) {
    checkPath(source, source.slice('mlflow-artifacts:'.length));
    return { storageLocation: source };
  }
  if (isPrompt && PROMPT_PLACEHOLDER.test(source) && !source.includes('..')) return { storageLocation: source };
  return refuse(source, 'its scheme is not allowed');
}
