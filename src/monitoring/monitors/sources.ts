/**
 * Bring a monitor's reference or current window to a local table file that DuckDB reads: a file of
 * a dataset version, a logged file from the artifact store, or a window of a deployment's
 * inference log written out as CSV. Other capabilities are reached through their exported services.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Artifacts } from '../../artifacts/index.js';
import { keyOfArtifactUri } from '../../artifacts/index.js';
import { invalid, notFound } from '../../core/errors.js';
import type { DatasetsCapability } from '../../datasets/index.js';
import { tableFormatOf } from '../../datasets/index.js';
import type { InferenceRow } from '../../serving/inference-log/index.js';
import { inferenceTable, writeInferenceCsv, type ClassNames } from './inference-table.js';
import type { SourceSpec } from './spec.js';

/** What reading sources needs from the rest of the server. */
export interface SourceDeps {
  readonly artifacts: Artifacts;
  readonly datasets: DatasetsCapability;
  /** A run's artifact root URI (for `runs:/` references). */
  runArtifactUri(runId: string): Promise<string>;
  /** A deployment's served rows in [from, to), ground truth joined. */
  inferenceWindow(deployment: string, from: number, to: number): Promise<InferenceRow[]>;
}

/** A source brought local. */
export interface LocalTable {
  path: string;
  /** What it was, for the run record. */
  description: string;
  /** The time window it covers (inference log only). */
  window?: { from: number; to: number };
  /** The current window of the inference log had no served rows: nothing was written at `path`. */
  empty?: true;
}

const WINDOW_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/** The [from, to) window a source covers when the run happens at `now`. */
export function windowOf(source: SourceSpec, now: number): { from: number; to: number } | undefined {
  if (source.type !== 'inference_log') return undefined;
  if ('from' in source) return { from: source.from, to: source.to };
  const span = typeof source.window === 'number' ? source.window * 1000 : WINDOW_MS[source.window];
  return { from: now - span, to: now };
}

const suffixOf = (path: string): string => /\.(csv|tsv|txt|parquet|pq)(\.gz|\.zst)?$/i.exec(path)?.[0] ?? '';

async function saveStream(stream: NodeJS.ReadableStream, path: string): Promise<void> {
  await pipeline(stream, createWriteStream(path));
}

async function datasetFile(deps: SourceDeps, source: Extract<SourceSpec, { type: 'dataset' }>, folder: string, role: string): Promise<LocalTable> {
  const version = await deps.datasets.registry.version(source.dataset, source.version);
  // The drift engine reads CSV and Parquet (not JSON lines).
  const tables = version.files.filter((f) => tableFormatOf(f.path) === 'csv' || tableFormatOf(f.path) === 'parquet');
  const file = source.path ? version.files.find((f) => f.path === source.path) : tables.length === 1 ? tables[0] : undefined;
  if (!file) {
    const listed = tables.map((f) => f.path).join(', ') || 'none';
    throw invalid(source.path ? `dataset ${source.dataset} v${version.version} has no file '${source.path}'` : `dataset ${source.dataset} v${version.version} has ${tables.length} table files (${listed}): name one with "path"`);
  }
  const local = join(folder, `${role}${suffixOf(file.path)}`);
  if (!(await deps.datasets.objects.copyTo(file.md5, local))) throw notFound(`the data of ${source.dataset} v${version.version} (${file.path}) is not on this server: push it with cairn data push`);
  return { path: local, description: `dataset ${source.dataset} v${version.version} ${file.path}` };
}

async function artifactFile(deps: SourceDeps, uri: string, folder: string, role: string): Promise<LocalTable> {
  const runs = /^runs:\/([^/]+)\/(.+)$/.exec(uri);
  const read = runs
    ? await deps.artifacts.downloadUnder(await deps.runArtifactUri(runs[1]!), runs[2]!)
    : await deps.artifacts.download(uri.startsWith('mlflow-artifacts:') ? keyOfArtifactUri(uri) : uri);
  if (!read) throw notFound(`no artifact at '${uri}'`);
  const local = join(folder, `${role}${suffixOf(uri)}`);
  await saveStream(read.stream, local);
  return { path: local, description: `artifact ${uri}` };
}

/**
 * Write the source to a local table file under `folder`, named after its role. `classes` names
 * the classes of a model's probability outputs in the inference log.
 */
export async function materializeSource(deps: SourceDeps, source: SourceSpec, now: number, folder: string, role: 'reference' | 'current', classes?: ClassNames): Promise<LocalTable> {
  switch (source.type) {
    case 'dataset':
      return datasetFile(deps, source, folder, role);
    case 'artifact':
      return artifactFile(deps, source.uri, folder, role);
    case 'inference_log': {
      const window = windowOf(source, now)!;
      const table = inferenceTable(await deps.inferenceWindow(source.deployment, window.from, window.to), classes);
      const local = join(folder, `${role}.csv`);
      const span = `${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}`;
      // A quiet hour is a result ("not enough data"), not a failure; an empty reference is a failure.
      if (table.records.length === 0 && role === 'current') return { path: local, description: `inference log of ${source.deployment} (no served requests from ${span})`, window, empty: true };
      if (table.records.length === 0) throw invalid(`the ${role} window of deployment ${source.deployment} (${span}) has no served requests`);
      await writeInferenceCsv(local, table);
      return { path: local, description: `inference log of ${source.deployment}`, window };
    }
  }
}
