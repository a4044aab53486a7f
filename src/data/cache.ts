/**
 * The local object cache in DVC 3's layout: `<cache>/files/md5/<first two hex>/<other thirty>`,
 * directory manifests beside files as `<...>.dir`, every object read-only (DVC's CACHE_MODE 0o444).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CairnError } from '../core/errors.js';
import { manifestOid, parseManifest, type ManifestEntry } from './format/dir-manifest.js';

/** The folder holding all MD5 objects of a cache. */
export const filesDir = (cacheDir: string): string => join(cacheDir, 'files', 'md5');

/** Where an object lives in a cache. */
export const objectPath = (cacheDir: string, oid: string): string => join(filesDir(cacheDir), oid.slice(0, 2), oid.slice(2));

export const hasObject = (cacheDir: string, oid: string): boolean => existsSync(objectPath(cacheDir, oid));

/** Write bytes as an object: temporary name, then rename, so no reader sees half an object. */
export function writeObjectBytes(cacheDir: string, oid: string, bytes: Buffer): void {
  const final = objectPath(cacheDir, oid);
  if (existsSync(final)) return;
  mkdirSync(dirname(final), { recursive: true });
  const tmp = `${final}.cairn-tmp-${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, bytes, { mode: 0o444 });
  chmodSync(tmp, 0o444);
  renameSync(tmp, final);
}

/** Read and check a directory manifest from the cache, or undefined when it is not there. */
export function readCachedManifest(cacheDir: string, oid: string): ManifestEntry[] | undefined {
  const path = objectPath(cacheDir, oid);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (manifestOid(bytes) !== oid) {
    throw new CairnError('INVALID_STATE', `cache object ${path} is corrupted (its content does not hash to ${oid}); delete it and run 'cairn data pull'`);
  }
  return parseManifest(bytes, path);
}

/** Every object id in the cache. */
export function listCachedObjects(cacheDir: string): string[] {
  const root = filesDir(cacheDir);
  const oids: string[] = [];
  let prefixes: string[];
  try {
    prefixes = readdirSync(root);
  } catch {
    return oids;
  }
  for (const prefix of prefixes) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const rest of readdirSync(join(root, prefix))) {
      if (/^[0-9a-f]{30}(\.dir)?$/.test(rest)) oids.push(prefix + rest);
    }
  }
  return oids;
}

/** Delete one object (missing is fine). */
export function removeObject(cacheDir: string, oid: string): void {
  try {
    unlinkSync(objectPath(cacheDir, oid));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
