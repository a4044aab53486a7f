import { nowMs } from '../core/clock.js';
import type { ReadableIds } from '../store/readable.js';
import { alreadyExists, invalid } from '../core/errors.js';
import type { Db } from '../store/db.js';
import * as store from '../store/registry/models.js';
import { isUniqueViolation, type KeyValue, type RegisteredModelRecord } from '../store/registry/records.js';
import { searchRegisteredModelNames } from '../store/search/index.js';
import { loadModel, requireModel } from './lookup.js';
import { checkModelName, checkTag, lastValuePerKey } from './validation.js';

export type { RegisteredModelRecord };

/** search_registered_models' page size: 100 unless asked, at most 1000 (MLflow's handler). */
export const MODEL_SEARCH_LIMITS = Object.freeze({ default: 100, max: 1000 });

const duplicate = (name: string) => alreadyExists(`Registered Model (name=${name}) already exists.`);

/** Registered models (and prompts, which are registered models with a tag): create, read, rename, tag, delete. */
export class RegisteredModels {
  constructor(private readonly db: Db) {}

  /** Create a model; a name already taken by a model or a prompt is a 400 RESOURCE_ALREADY_EXISTS. */
  async create(input: { name: string; description?: string | undefined; tags: KeyValue[] }): Promise<RegisteredModelRecord> {
    checkModelName(input.name);
    const tags = lastValuePerKey(input.tags);
    if (await store.registeredModelExists(this.db.kysely, input.name)) throw duplicate(input.name);
    try {
      await store.insertRegisteredModel(this.db.kysely, { name: input.name, description: input.description || null, userId: null, tags, now: nowMs() });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(input.name);
      throw error;
    }
    return loadModel(this.db, input.name);
  }

  async get(name: string): Promise<RegisteredModelRecord> {
    return loadModel(this.db, name);
  }

  /** Rename a model; its versions, tags and aliases follow it. */
  async rename(name: string, newName: string | undefined): Promise<RegisteredModelRecord> {
    if (!newName) throw invalid("Missing value for required parameter 'new_name'.");
    checkModelName(newName, 'new_name');
    await requireModel(this.db, name);
    if (newName === name) return loadModel(this.db, name);
    if (await store.registeredModelExists(this.db.kysely, newName)) throw duplicate(newName);
    try {
      await store.renameRegisteredModel(this.db.kysely, name, newName, nowMs());
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(newName);
      throw error;
    }
    return loadModel(this.db, newName);
  }

  /** Change the description; an absent description leaves it as it is. */
  async update(name: string, description: string | undefined): Promise<RegisteredModelRecord> {
    await requireModel(this.db, name);
    if (description !== undefined) await store.updateRegisteredModelDescription(this.db.kysely, name, description, nowMs());
    return loadModel(this.db, name);
  }

  /** Delete a model with all its versions, tags and aliases. */
  async delete(name: string): Promise<void> {
    await requireModel(this.db, name);
    await store.deleteRegisteredModel(this.db.kysely, name);
  }

  /** Search with MLflow's filter grammar; prompts are left out unless the filter asks for them. */
  async search(query: { filter?: string | undefined; maxResults?: number | undefined; orderBy?: readonly string[] | undefined; pageToken?: string | undefined; readable?: ReadableIds | undefined }): Promise<{ models: RegisteredModelRecord[]; nextPageToken?: string }> {
    const maxResults = query.maxResults ?? MODEL_SEARCH_LIMITS.default;
    if (maxResults > MODEL_SEARCH_LIMITS.max) {
      throw invalid(`Invalid value for request parameter max_results. It must be at most ${MODEL_SEARCH_LIMITS.max}, but got value ${maxResults}`);
    }
    const page = await searchRegisteredModelNames(this.db, { filter: query.filter, maxResults, orderBy: query.orderBy, pageToken: query.pageToken, readable: query.readable });
    const models = await store.selectRegisteredModels(this.db.kysely, page.names);
    return page.nextPageToken ? { models, nextPageToken: page.nextPageToken } : { models };
  }

  async setTag(name: string, key: string, value: string): Promise<void> {
    checkTag(key, value);
    await requireModel(this.db, name);
    await store.upsertRegisteredModelTag(this.db.kysely, name, { key, value });
  }

  /** Deleting a tag the model does not carry is a no-op, as in MLflow's SQL store. */
  async deleteTag(name: string, key: string): Promise<void> {
    await requireModel(this.db, name);
    await store.deleteRegisteredModelTag(this.db.kysely, name, key);
  }
}
