/** The model registry: registered models, versions, tags, aliases, stages, and prompts (tagged models). */
import { NO_LINEAGE, type LineageRecorder } from '../core/lineage.js';
import type { Db } from '../store/db.js';
import { ModelAliases } from './aliases.js';
import type { RegistryDeps } from './deps.js';
import { RegisteredModels } from './models.js';
import { ModelVersions } from './versions.js';

export { ModelAliases, ModelVersions, RegisteredModels };
export type { RegistryDeps } from './deps.js';
export type { RegisteredModelRecord } from './models.js';
export type { ModelVersionRecord, NewVersionInput } from './versions.js';
export { MODEL_SEARCH_LIMITS } from './models.js';
export { VERSION_SEARCH_LIMITS } from './versions.js';
export { STAGES, type Stage } from './validation.js';

/** The registry capability, as the rest of cairn sees it. */
export interface Registry {
  readonly models: RegisteredModels;
  readonly versions: ModelVersions;
  readonly aliases: ModelAliases;
}

/**
 * Build the registry over a database. `deps` resolves `runs:/` and `models:/m-...` sources;
 * cairn's tracking service fits it as it is. `lineage` hears which model or run each version came from.
 * @example const registry = createRegistry(db, createTracking(db));
 */
export function createRegistry(db: Db, deps: RegistryDeps, lineage: LineageRecorder = NO_LINEAGE): Registry {
  return Object.freeze({ models: new RegisteredModels(db), versions: new ModelVersions(db, deps, lineage), aliases: new ModelAliases(db) });
}
