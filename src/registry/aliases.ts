import { invalid } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { deleteAlias, selectAliasVersion, upsertAlias } from '../store/registry/models.js';
import type { ModelVersionRecord } from '../store/registry/records.js';
import { selectNewestVersionNumber } from '../store/registry/versions.js';
import { loadVersion, requireModel } from './lookup.js';
import { checkAliasName, checkAliasToSet, parseVersion } from './validation.js';

/** Aliases: named pointers to one version of a model (`models:/name@champion`). */
export class ModelAliases {
  constructor(private readonly db: Db) {}

  /** Point an alias at a live version, moving it if it pointed elsewhere. */
  async set(name: string, alias: string, version: string | number): Promise<void> {
    checkAliasToSet(alias);
    const found = await loadVersion(this.db, name, parseVersion(version));
    await upsertAlias(this.db.kysely, name, alias, found.version);
  }

  /** Deleting an alias the model does not have is a no-op, as in MLflow's SQL store. */
  async delete(name: string, alias: string): Promise<void> {
    checkAliasName(alias);
    await requireModel(this.db, name);
    await deleteAlias(this.db.kysely, name, alias);
  }

  /**
   * The version an alias names. `latest` (any case) is the newest live version. MLflow answers an
   * unknown alias with 400 INVALID_PARAMETER_VALUE, not 404, and the client relies on that.
   */
  async resolve(name: string, alias: string): Promise<ModelVersionRecord> {
    checkAliasName(alias);
    await requireModel(this.db, name);
    const version = alias.toLowerCase() === 'latest'
      ? await selectNewestVersionNumber(this.db.kysely, name)
      : await selectAliasVersion(this.db.kysely, name, alias);
    if (version === undefined) throw invalid(`Registered model alias ${alias} not found.`);
    return loadVersion(this.db, name, version);
  }
}
