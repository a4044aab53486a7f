/**
 * The dataset registry: named datasets with numbered, content-addressed versions, their files
 * and table profiles, and diffs between versions. Versions come from data objects pushed to this
 * server (`cairn data push`), from a digest a caller names, or from MLflow's `log_input`.
 */
import { nowMs } from '../core/clock.js';
import type { ReadableIds } from '../store/readable.js';
import { invalid, notFound } from '../core/errors.js';
import type { LineageEvent, LineageRecorder } from '../core/lineage.js';
import type { Db } from '../store/db.js';
import * as store from '../store/datasets/datasets.js';
import type { DatasetFileRow, DatasetRow, DatasetVersionRow } from '../store/datasets/datasets.js';
import { diffFiles, diffTables, type FileChanges, type TableDiff, type TableSummary } from './diff.js';
import { isObjectId, type DataObjects } from './objects.js';
import type { TableProfile } from './profile.js';
import { filesOfObject, profileFiles } from './versions.js';

export type { DatasetRow, DatasetVersionRow };

/** A file of a version with its profile parsed. */
export interface DatasetFileView {
  path: string;
  md5: string;
  sizeBytes: number | null;
  profile: TableProfile | null;
  profileError?: string;
}

export interface DatasetVersionView extends DatasetVersionRow {
  files: DatasetFileView[];
}

/** What registering a version takes: a pushed object, or a digest that names the content elsewhere. */
export interface NewDatasetVersion {
  object?: string | undefined;
  /** The file's name inside the version when `object` is one file (default: the source's last part). */
  path?: string | undefined;
  digest?: string | undefined;
  source?: string | undefined;
  sourceType?: string | undefined;
  gitCommit?: string | undefined;
  description?: string | undefined;
  sizeBytes?: number | undefined;
  fileCount?: number | undefined;
  createdBy?: string | undefined;
}

export interface DatasetDiff {
  name: string;
  from: DatasetVersionRow;
  to: DatasetVersionRow;
  files: FileChanges;
  tables: TableDiff[];
}

export const DATASET_LIST_LIMITS = Object.freeze({ default: 100, max: 1000 });

/** A dataset name: shown in URLs and node ids, so no slashes and no control characters. */
function checkName(name: string): string {
  if (name.length === 0 || name.length > 256 || name.includes('/') || /[\u0000-\u001f]/.test(name)) {
    throw invalid(`Invalid dataset name '${name}': 1 to 256 characters, no '/' and no control characters`);
  }
  return name;
}

/** A version reference: a number (`3` or `v3`), otherwise a digest. */
function parseRef(ref: string): { version: number } | { digest: string } {
  const m = /^v?([1-9][0-9]{0,6})$/.exec(ref);
  return m ? { version: Number(m[1]) } : { digest: ref };
}

function fileView(f: DatasetFileRow): DatasetFileView {
  if (f.profile === null) return { ...f, profile: null };
  const parsed = JSON.parse(f.profile) as TableProfile | { error: string };
  return 'error' in parsed ? { ...f, profile: null, profileError: parsed.error } : { ...f, profile: parsed };
}

/** MLflow's schema (`{"mlflow_colspec": [{"name", "type"}]}`) and profile (`{"num_rows"}`) as a table summary. */
function mlflowTable(v: DatasetVersionRow): TableSummary | undefined {
  if (v.mlflowSchema === null && v.mlflowProfile === null) return undefined;
  const parse = (text: string | null): Record<string, unknown> => {
    try {
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const spec = parse(v.mlflowSchema)['mlflow_colspec'];
  const rows = parse(v.mlflowProfile)['num_rows'];
  const columns = Array.isArray(spec) ? spec.map((c: { name?: unknown; type?: unknown }, i) => ({ name: String(c.name ?? `column ${i}`), type: String(c.type ?? 'unknown') })) : [];
  return { path: v.source ?? v.name, rows: typeof rows === 'number' ? rows : null, columns };
}

function tableOf(f: DatasetFileView): TableSummary | undefined {
  const p = f.profile;
  return p ? { path: f.path, rows: p.rows, columns: p.columns.map((c) => ({ name: c.name, type: c.type, profile: c })) } : undefined;
}

/** Unique violations (a concurrent writer took the number): retry with the next one. */
const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
};

export class Datasets {
  constructor(
    private readonly db: Db,
    private readonly objects: DataObjects,
  ) {}

  /** Datasets by name, a page at a time. */
  async list(o: { prefix?: string | undefined; maxResults?: number | undefined; pageToken?: string | undefined; readable?: ReadableIds | undefined } = {}): Promise<{ datasets: DatasetRow[]; nextPageToken?: string }> {
    const limit = o.maxResults ?? DATASET_LIST_LIMITS.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > DATASET_LIST_LIMITS.max) {
      throw invalid(`Invalid value ${limit} for parameter 'max_results': a whole number from 1 to ${DATASET_LIST_LIMITS.max}`);
    }
    const after = o.pageToken ? Buffer.from(o.pageToken, 'base64url').toString('utf8') : undefined;
    const rows = await store.selectDatasets(this.db.kysely, { prefix: o.prefix, after, limit: limit + 1, readable: o.readable });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return rows.length > limit && last ? { datasets: page, nextPageToken: Buffer.from(last.name, 'utf8').toString('base64url') } : { datasets: page };
  }

  /** A dataset and its versions, newest first. */
  async get(name: string): Promise<{ dataset: DatasetRow; versions: DatasetVersionRow[] }> {
    const dataset = await store.selectDataset(this.db.kysely, name);
    if (!dataset) throw notFound(`Dataset '${name}' not found`);
    return { dataset, versions: await store.selectVersions(this.db.kysely, name) };
  }

  /** Create a dataset (or change its description) before any version exists. */
  async create(name: string, description: string | undefined): Promise<DatasetRow> {
    await store.upsertDataset(this.db.kysely, checkName(name), description, nowMs());
    return (await this.get(name)).dataset;
  }

  /** A version by number or digest, with its files and profiles. */
  async version(name: string, ref: string): Promise<DatasetVersionView> {
    const found = await store.selectVersion(this.db.kysely, name, parseRef(ref));
    if (!found) throw notFound(`Dataset '${name}' has no version '${ref}'`);
    return { ...found, files: (await store.selectFiles(this.db.kysely, name, found.digest)).map(fileView) };
  }

  /**
   * Register a version. Registering a digest the dataset already has returns that version as it
   * is (pushing the same data twice is not an error).
   */
  async register(name: string, input: NewDatasetVersion): Promise<DatasetVersionView> {
    checkName(name);
    if ((input.object === undefined) === (input.digest === undefined)) throw invalid("Give exactly one of 'object' (a data object pushed to this server) and 'digest'");
    if (input.object !== undefined && !isObjectId(input.object)) throw invalid(`Invalid value '${input.object}' for parameter 'object': a DVC md5 object id (32 hex digits, '.dir' for a folder)`);
    if (input.digest !== undefined && !/^[A-Za-z0-9._:+=-]{1,128}$/.test(input.digest)) throw invalid(`Invalid value '${input.digest}' for parameter 'digest': 1 to 128 letters, digits or . _ : + = -`);
    const digest = input.object ?? (input.digest as string);
    const existing = await store.selectVersion(this.db.kysely, name, { digest });
    if (existing) return this.version(name, digest);
    let files: DatasetFileRow[] = [];
    if (input.object !== undefined) {
      const single = input.path ?? input.source?.split(/[\\/]/).filter(Boolean).pop() ?? 'data';
      files = await profileFiles(this.objects, await filesOfObject(this.objects, input.object, single));
    }
    const sized = files.every((f) => f.sizeBytes !== null);
    await this.insert({
      name,
      digest,
      sizeBytes: input.object !== undefined && sized ? files.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0) : (input.sizeBytes ?? null),
      fileCount: input.object !== undefined ? files.length : (input.fileCount ?? null),
      source: input.source ?? null,
      sourceType: input.sourceType ?? (input.object !== undefined ? 'cairn' : 'external'),
      gitCommit: input.gitCommit ?? null,
      createdBy: input.createdBy ?? null,
      createdAt: nowMs(),
      mlflowSchema: null,
      mlflowProfile: null,
      files,
    });
    if (input.description !== undefined) await store.upsertDataset(this.db.kysely, name, input.description, nowMs());
    return this.version(name, digest);
  }

  private async insert(row: store.NewVersionRow): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await store.insertVersion(this.db.kysely, row, nowMs());
        return;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 4) throw error;
      }
    }
  }

  /** Compare two versions of one dataset (or of two datasets: `toName`). */
  async diff(name: string, fromRef: string, toRef: string, toName: string = name): Promise<DatasetDiff> {
    const [from, to] = await Promise.all([this.version(name, fromRef), this.version(toName, toRef)]);
    const files = diffFiles(from.files, to.files);
    const tables: TableDiff[] = [];
    const older = new Map(from.files.map((f) => [f.path, f]));
    for (const f of to.files) {
      const was = older.get(f.path);
      const [a, b] = [was && tableOf(was), tableOf(f)];
      if (was && was.md5 !== f.md5 && a && b) tables.push(diffTables(a, b));
    }
    // One table on each side under different names (data_v1.csv → data_v2.csv): compare them.
    const soleA = from.files.map(tableOf).filter((t) => t !== undefined);
    const soleB = to.files.map(tableOf).filter((t) => t !== undefined);
    if (tables.length === 0 && soleA.length === 1 && soleB.length === 1 && soleA[0]?.path !== soleB[0]?.path) tables.push(diffTables(soleA[0] as TableSummary, soleB[0] as TableSummary));
    const [ma, mb] = [mlflowTable(from), mlflowTable(to)];
    if (tables.length === 0 && ma && mb) tables.push(diffTables(ma, mb));
    const strip = ({ files: _files, ...row }: DatasetVersionView): DatasetVersionRow => row;
    return { name, from: strip(from), to: strip(to), files, tables };
  }

  /**
   * Hears lineage events and keeps each dataset a run used through MLflow's `log_input` as a
   * version (source type, source, schema and profile as the client sent them).
   */
  readonly lineageListener: LineageRecorder = Object.freeze({
    record: async (event: LineageEvent) => {
      const facts = event.fromFacts;
      if (!facts || !event.from.startsWith('dataset:')) return;
      const key = event.from.slice('dataset:'.length);
      const at = key.lastIndexOf('@');
      const [name, digest] = [key.slice(0, at), key.slice(at + 1)];
      if (at <= 0 || name.includes('/') || (await store.selectVersion(this.db.kysely, name, { digest }))) return;
      try {
        await this.insert({
          name, digest, sizeBytes: null, fileCount: null,
          source: facts['source'] ?? null, sourceType: facts['source_type'] ?? 'mlflow', gitCommit: facts['git_commit'] ?? null,
          createdBy: facts['created_by'] ?? null, createdAt: nowMs(),
          mlflowSchema: facts['schema'] ?? null, mlflowProfile: facts['profile'] ?? null, files: [],
        });
      } catch (error) {
        // Another request registered the same version first: that is the outcome we wanted.
        if (!isUniqueViolation(error)) throw error;
      }
    },
    end: async () => undefined,
  });
}
