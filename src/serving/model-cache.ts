/**
 * The local model cache: `<root>/<name>/<version>/` holds a version's files and a manifest with
 * the sha256 of each. A download goes to a temporary folder, is checked (sizes), hashed, and
 * renamed into place in one step; every load re-hashes the files against the manifest, so a
 * corrupted or tampered file is refused, never served.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CairnError } from '../core/errors.js';
import type { ResolvedVersion, TrackingClient } from './tracking-client.js';

/** The manifest file name inside a cached version folder. */
export const MANIFEST = '.cairn-manifest.json';

/** What the manifest records. */
export interface CacheManifest {
  readonly name: string;
  readonly version: string;
  readonly artifactUri: string;
  readonly downloadedAt: string;
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly size: number }>>;
}

/** A version folder that passed verification. */
export interface CachedModel {
  readonly folder: string;
  readonly manifest: CacheManifest;
  /** True when this call downloaded the files, false when they were already cached. */
  readonly downloaded: boolean;
}

/** Keep every character that could climb out of the cache root (`/`, `..`) out of folder names. */
function safeSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The cache folder of one version. */
export function versionFolder(root: string, name: string, version: string): string {
  return join(root, safeSegment(name), safeSegment(version));
}

/** Where a version's files are listed and read from: the tracking server, or (inside cairn server) its own artifact store. */
export type ModelFileSource = Pick<TrackingClient, 'listFiles' | 'download'>;

/** Make sure the version is cached and intact; download it when it is not there yet. */
export async function ensureCached(root: string, client: ModelFileSource, resolved: ResolvedVersion): Promise<CachedModel> {
  const folder = versionFolder(root, resolved.name, resolved.version);
  if (await exists(join(folder, MANIFEST))) return { folder, manifest: await verifyFolder(folder), downloaded: false };
  const temp = join(dirname(folder), `.tmp-${safeSegment(resolved.version)}-${randomBytes(6).toString('hex')}`);
  // 0700: other local users must not read or swap a model while it is downloaded (CVE-2022-0736's class).
  await mkdir(temp, { recursive: true, mode: 0o700 });
  try {
    const listing = await client.listFiles(resolved.artifactUri);
    if (listing.length === 0) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `model '${resolved.name}' version ${resolved.version} has no files at ${resolved.artifactUri}`);
    const files: Record<string, { sha256: string; size: number }> = {};
    for (const entry of listing) {
      const target = join(temp, ...entry.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      const result = await hashWhileWriting(await client.download(resolved.artifactUri, entry.path), target);
      if (entry.size !== null && entry.size !== result.size) {
        throw new CairnError('INVALID_STATE', `download of ${entry.path} is incomplete: the server listed ${entry.size} bytes, ${result.size} arrived`);
      }
      files[entry.path] = result;
    }
    const manifest: CacheManifest = { name: resolved.name, version: resolved.version, artifactUri: resolved.artifactUri, downloadedAt: new Date().toISOString(), files };
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      await rename(temp, folder);
    } catch (error) {
      // Another process finished the same download first: use its copy, after checking it.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      await rm(temp, { recursive: true, force: true });
      return { folder, manifest: await verifyFolder(folder), downloaded: false };
    }
    return { folder, manifest, downloaded: true };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Re-hash every file against the manifest; any difference refuses the whole version. */
export async function verifyFolder(folder: string): Promise<CacheManifest> {
  let manifest: CacheManifest;
  try {
    manifest = JSON.parse(await readFile(join(folder, MANIFEST), 'utf8')) as CacheManifest;
  } catch (error) {
    throw corrupted(folder, `its manifest ${MANIFEST} is unreadable (${(error as Error).message})`);
  }
  const present = new Set((await listFilesUnder(folder)).filter((f) => f !== MANIFEST));
  for (const [path, expected] of Object.entries(manifest.files ?? {})) {
    if (!present.delete(path)) throw corrupted(folder, `${path} is missing`);
    const actual = await hashFile(join(folder, ...path.split('/')));
    if (actual.sha256 !== expected.sha256 || actual.size !== expected.size) {
      throw corrupted(folder, `${path} has sha256 ${actual.sha256} (${actual.size} bytes) but the manifest recorded ${expected.sha256} (${expected.size} bytes)`);
    }
  }
  if (present.size > 0) throw corrupted(folder, `it holds files the manifest does not list: ${[...present].join(', ')}`);
  return manifest;
}

function corrupted(folder: string, why: string): CairnError {
  return new CairnError('INVALID_STATE', `refusing to serve the cached model in ${folder}: ${why}. Delete the folder to download it again.`);
}

async function hashWhileWriting(source: NodeJS.ReadableStream, target: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(source, tap, createWriteStream(target, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), size };
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function listFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(folder, join(e.parentPath, e.name)).split(sep).join('/'));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
