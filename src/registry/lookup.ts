/** Reads that answer "not found" in MLflow's words, shared by the registry's services. */
import { notFound } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { registeredModelExists, selectRegisteredModels } from '../store/registry/models.js';
import type { ModelVersionRecord, RegisteredModelRecord } from '../store/registry/records.js';
import { selectModelVersions } from '../store/registry/versions.js';
import { checkModelName } from './validation.js';

export const modelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`);
export const versionNotFound = (name: string, version: number | string) => notFound(`Model Version (name=${name}, version=${version}) not found`);

/** Throw 404 unless the registered model exists. */
export async function requireModel(db: Db, name: string): Promise<void> {
  checkModelName(name);
  if (!(await registeredModelExists(db.kysely, name))) throw modelNotFound(name);
}

export async function loadModel(db: Db, name: string): Promise<RegisteredModelRecord> {
  checkModelName(name);
  const [found] = await selectRegisteredModels(db.kysely, [name]);
  if (!found) throw modelNotFound(name);
  return found;
}

/** A live version; the model's absence is reported before the version's, as MLflow does. */
export async function loadVersion(db: Db, name: string, version: number): Promise<ModelVersionRecord> {
  const [found] = await selectModelVersions(db.kysely, [{ name, version }]);
  if (found) return found;
  await requireModel(db, name);
  throw versionNotFound(name, version);
}
