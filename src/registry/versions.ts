import { nowMs } from '../core/clock.js';
import type { ReadableIds } from '../store/readable.js';
import { invalid } from '../core/errors.js';
import { lineageNode, type LineageRecorder } from '../core/lineage.js';
import { IS_PROMPT_TAG } from '../core/search/index.js';
import type { Db } from '../store/db.js';
import { selectRegisteredModelTag } from '../store/registry/models.js';
import type { KeyValue, ModelVersionRecord } from '../store/registry/records.js';
import * as store from '../store/registry/versions.js';
import { searchModelVersionKeys } from '../store/search/index.js';
import type { RegistryDeps } from './deps.js';
import { loadVersion, modelNotFound, requireModel } from './lookup.js';
import { resolveSource } from './sources.js';
import { checkModelName, checkTag, lastValuePerKey, parseStage, parseVersion, type Stage } from './validation.js';

export type { ModelVersionRecord };

/** search_model_versions' page size: the proto default is 200 000, which is also the most allowed. */
export const VERSION_SEARCH_LIMITS = Object.freeze({ default: 200_000, max: 200_000 });

/** Stages from which `archive_existing_versions` may push the others out. */
const ACTIVE_STAGES: readonly Stage[] = ['Staging', 'Production'];

/** What `model-versions/create` carries. */
export interface NewVersionInput {
  name: string;
  source: string;
  runId?: string | undefined;
  runLink?: string | undefined;
  description?: string | undefined;
  modelId?: string | undefined;
  tags: KeyValue[];
}

const isPromptTag = (t: KeyValue): boolean => t.key === IS_PROMPT_TAG && t.value.toLowerCase() === 'true';

/** Model versions: numbered per model, never renumbered, soft-deleted, always READY. */
export class ModelVersions {
  constructor(
    private readonly db: Db,
    private readonly deps: RegistryDeps,
    private readonly lineage: LineageRecorder,
  ) {}

  /** Register a new version of a model from a source cairn can resolve inside its own store. */
  async create(input: NewVersionInput): Promise<ModelVersionRecord> {
    checkModelName(input.name);
    const tags = lastValuePerKey(input.tags);
    await requireModel(this.db, input.name);
    const modelTag = await selectRegisteredModelTag(this.db.kysely, input.name, IS_PROMPT_TAG);
    const isPrompt = tags.some(isPromptTag) || modelTag?.toLowerCase() === 'true';
    const resolved = await resolveSource(this.db, this.deps, input.source, isPrompt, input.runId || undefined);
    const version = await store.insertModelVersion(this.db.kysely, {
      name: input.name,
      source: input.source,
      storageLocation: resolved.storageLocation,
      runId: input.runId || resolved.runId || null,
      runLink: input.runLink || null,
      description: input.description || null,
      userId: null,
      modelId: input.modelId || resolved.modelId || null,
      tags,
      now: nowMs(),
    });
    // The model was deleted between the check above and the insert.
    if (version === undefined) throw modelNotFound(input.name);
    const created = await loadVersion(this.db, input.name, version);
    // A version names the logged model it copies (MLflow 3) or, before logged models, its run.
    const from = created.modelId ? lineageNode.loggedModel(created.modelId) : created.runId ? lineageNode.run(created.runId) : undefined;
    if (from) await this.lineage.record({ from, to: lineageNode.modelVersion(input.name, version), kind: 'registered' });
    return created;
  }

  async get(name: string, version: string | number): Promise<ModelVersionRecord> {
    checkModelName(name);
    return loadVersion(this.db, name, parseVersion(version));
  }

  /** Change a version's description; an absent description leaves it as it is. */
  async update(name: string, version: string | number, description: string | undefined): Promise<ModelVersionRecord> {
    const found = await this.get(name, version);
    if (description !== undefined) await store.updateModelVersionDescription(this.db.kysely, found, description, nowMs());
    return loadVersion(this.db, name, found.version);
  }

  /** Move a version to a stage (any case); optionally archive the others already there. */
  async transitionStage(name: string, version: string | number, stage: string, archiveExisting: boolean): Promise<ModelVersionRecord> {
    const target = parseStage(stage);
    if (archiveExisting && !ACTIVE_STAGES.includes(target)) {
      throw invalid(`Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`);
    }
    const found = await this.get(name, version);
    await store.moveModelVersionToStage(this.db.kysely, found, target, archiveExisting, nowMs());
    return loadVersion(this.db, name, found.version);
  }

  /** Soft delete: the number is never reused, and the version's aliases go with it. */
  async delete(name: string, version: string | number): Promise<void> {
    const found = await this.get(name, version);
    await store.softDeleteModelVersion(this.db.kysely, found, nowMs());
  }

  /** The latest live version in each stage, all stages unless some are named. */
  async latest(name: string, stages: readonly string[]): Promise<ModelVersionRecord[]> {
    const wanted = stages.map(parseStage);
    await requireModel(this.db, name);
    const versions = await store.selectModelVersions(this.db.kysely, await store.selectLatestVersionKeysByStage(this.db.kysely, [name]));
    if (wanted.length === 0) return versions;
    return [...new Set(wanted)].flatMap((stage) => versions.filter((v) => v.currentStage === stage));
  }

  /** Where a version's files are, for `models:/` loads. */
  async downloadUri(name: string, version: string | number): Promise<string> {
    return (await this.get(name, version)).storageLocation;
  }

  /** Search with MLflow's filter grammar; prompt versions are left out unless the filter asks for them. */
  async search(query: { filter?: string | undefined; maxResults?: number | undefined; orderBy?: readonly string[] | undefined; pageToken?: string | undefined; readable?: ReadableIds | undefined }): Promise<{ versions: ModelVersionRecord[]; nextPageToken?: string }> {
    const maxResults = query.maxResults ?? VERSION_SEARCH_LIMITS.default;
    if (maxResults > VERSION_SEARCH_LIMITS.max) {
      throw invalid(`Invalid value for request parameter max_results. It must be at most ${VERSION_SEARCH_LIMITS.max}, but got value ${maxResults}`);
    }
    const page = await searchModelVersionKeys(this.db, { filter: query.filter, maxResults, orderBy: query.orderBy, pageToken: query.pageToken, readable: query.readable });
    const versions = await store.selectModelVersions(this.db.kysely, page.versions);
    return page.nextPageToken ? { versions, nextPageToken: page.nextPageToken } : { versions };
  }

  async setTag(name: string, version: string | number, key: string, value: string): Promise<void> {
    checkTag(key, value);
    const found = await this.get(name, version);
    await store.upsertModelVersionTag(this.db.kysely, found, { key, value });
  }

  /** Deleting a tag the version does not carry is a no-op, as in MLflow's SQL store. */
  async deleteTag(name: string, version: string | number, key: string): Promise<void> {
    const found = await this.get(name, version);
    await store.deleteModelVersionTag(this.db.kysely, found, key);
  }
}
