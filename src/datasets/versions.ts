/** How a new dataset version's files are found and profiled: from a pushed data object. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalid } from '../core/errors.js';
import type { DatasetFileRow } from '../store/datasets/datasets.js';
import type { DataObjects } from './objects.js';
import { profileTableFile, tableFormatOf } from './profile.js';

/** Limits that keep registering a version a request, not a batch job. */
export const PROFILE_LIMITS = Object.freeze({ maxFileBytes: 1 << 30, maxTablesPerVersion: 50, statConcurrency: 16 });

/** A file of a version before it is stored: where it is in the version, its object, its size. */
interface ListedFile {
  path: string;
  md5: string;
  sizeBytes: number | null;
}

/** Read a DVC directory manifest (`[{"md5": ..., "relpath": ...}, ...]`). */
function parseManifest(bytes: Buffer, oid: string): { md5: string; relpath: string }[] {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(`Object ${oid} is not a directory manifest (not JSON)`);
  }
  if (!Array.isArray(data)) throw invalid(`Object ${oid} is not a directory manifest (not a list)`);
  return data.map((item: unknown) => {
    const e = item as { md5?: unknown; relpath?: unknown };
    const safe = typeof e?.relpath === 'string' && e.relpath !== '' && !e.relpath.startsWith('/') && e.relpath.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
    if (typeof e?.md5 !== 'string' || !/^[0-9a-f]{32}$/.test(e.md5) || !safe) throw invalid(`Object ${oid} has an invalid manifest entry: ${JSON.stringify(item)}`);
    return { md5: e.md5, relpath: e.relpath as string };
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  }));
  return out;
}

/** The files an object stands for: a folder's manifest entries, or the one file (named `path`). */
export async function filesOfObject(objects: DataObjects, oid: string, path: string): Promise<ListedFile[]> {
  if (!oid.endsWith('.dir')) {
    const size = await objects.size(oid);
    if (size === undefined) throw invalid(`Data object ${oid} is not on this server: push it first (cairn data push -r <cairn remote>)`);
    return [{ path, md5: oid, sizeBytes: size }];
  }
  const manifest = await objects.read(oid);
  if (!manifest) throw invalid(`Directory manifest ${oid} is not on this server: push it first (cairn data push -r <cairn remote>)`);
  const entries = parseManifest(manifest, oid);
  const sizes = await mapLimit(entries, PROFILE_LIMITS.statConcurrency, (e) => objects.size(e.md5));
  return entries.map((e, i) => ({ path: e.relpath, md5: e.md5, sizeBytes: sizes[i] ?? null }));
}

/**
 * Profile the table files among `files` whose objects are stored. A file DuckDB cannot read gets
 * `{"error": ...}` instead, so one bad file does not stop the version from being registered.
 */
export async function profileFiles(objects: DataObjects, files: readonly ListedFile[]): Promise<DatasetFileRow[]> {
  const folder = await mkdtemp(join(tmpdir(), 'cairn-profile-'));
  try {
    let profiled = 0;
    const out: DatasetFileRow[] = [];
    for (const [i, f] of files.entries()) {
      const format = tableFormatOf(f.path);
      let profile: string | null = null;
      if (format && f.sizeBytes !== null && f.sizeBytes <= PROFILE_LIMITS.maxFileBytes && profiled < PROFILE_LIMITS.maxTablesPerVersion) {
        // Keep the file's suffix: DuckDB picks compression (.gz, .zst) from it.
        const local = join(folder, `${i}-${f.path.split('/').pop() ?? 'table'}`);
        if (await objects.copyTo(f.md5, local)) {
          profiled++;
          profile = JSON.stringify(await profileTableFile(local, format).catch((error: unknown) => ({ error: (error as Error).message })));
          await rm(local, { force: true });
        }
      }
      out.push({ ...f, profile });
    }
    return out;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
