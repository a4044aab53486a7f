/**
 * Content-addressed data objects in the artifact store, in DVC's md5 layout: the `cairn` remote
 * of `cairn data` pushes here, and dataset versions read their files from here. An upload lands
 * in a local temporary file first and is stored only if its bytes hash to its name, so a reader
 * never sees an object that is not what its name says.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobRead, BlobStore } from '../blob/types.js';
import { invalid } from '../core/errors.js';

/** Where data objects live under the artifact store's root. */
export const DATA_OBJECTS_ROOT = 'data-objects/md5';

/** True for a DVC md5 object id: 32 hex digits, with ".dir" for a folder's manifest. */
export const isObjectId = (value: string): boolean => /^[0-9a-f]{32}(\.dir)?$/.test(value);

/** The object id of a `<xx>/<rest>` path, or an INVALID_PARAMETER_VALUE error. */
export function objectIdOf(prefix: string, rest: string): string {
  const oid = `${prefix}${rest}`;
  if (prefix.length !== 2 || !isObjectId(oid)) throw invalid(`'${prefix}/${rest}' is not a DVC md5 object path (expected <2 hex>/<30 hex>[.dir])`);
  return oid;
}

const keyOf = (oid: string): string => `${DATA_OBJECTS_ROOT}/${oid.slice(0, 2)}/${oid.slice(2)}`;

/** The data-object store over a blob store. */
export class DataObjects {
  constructor(private readonly blobs: BlobStore) {}

  /**
   * Store an object from a stream, checking its md5 (`.dir` manifests are named by the md5 of
   * their bytes too). Storing an object that is there already reads the body and keeps the old one.
   */
  async put(oid: string, body: Readable): Promise<{ size: number; created: boolean }> {
    if (!isObjectId(oid)) throw invalid(`'${oid}' is not a DVC md5 object id`);
    const folder = await mkdtemp(join(tmpdir(), 'cairn-object-'));
    try {
      const file = join(folder, randomBytes(6).toString('hex'));
      const hash = createHash('md5');
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(body, hashing, createWriteStream(file, { flags: 'wx' }));
      const actual = hash.digest('hex');
      if (actual !== oid.slice(0, 32)) throw invalid(`Upload of object ${oid} has md5 ${actual}: the bytes do not match the object's name`);
      const { size } = await stat(file);
      if (await this.blobs.stat(keyOf(oid))) return { size, created: false };
      await this.blobs.put(keyOf(oid), createReadStream(file), { contentLength: size });
      return { size, created: true };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** An object's bytes, or undefined. */
  async get(oid: string): Promise<BlobRead | undefined> {
    return isObjectId(oid) ? this.blobs.get(keyOf(oid)) : undefined;
  }

  /** An object's whole bytes, for small ones (manifests), or undefined. */
  async read(oid: string): Promise<Buffer | undefined> {
    const found = await this.get(oid);
    if (!found) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of found.stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** An object's size, or undefined when it is not stored. */
  async size(oid: string): Promise<number | undefined> {
    if (!isObjectId(oid)) return undefined;
    const found = await this.blobs.stat(keyOf(oid));
    return found && !found.isDir ? (found.size ?? 0) : undefined;
  }

  /** Which of `oids` are stored. */
  async has(oids: readonly string[]): Promise<string[]> {
    const sizes = await Promise.all(oids.map((oid) => this.size(oid)));
    return oids.filter((_, i) => sizes[i] !== undefined);
  }

  /** Every stored object id. */
  async list(): Promise<string[]> {
    const out: string[] = [];
    for (const prefix of await this.blobs.list(DATA_OBJECTS_ROOT)) {
      if (!prefix.isDir || !/^[0-9a-f]{2}$/.test(prefix.name)) continue;
      for (const entry of await this.blobs.list(`${DATA_OBJECTS_ROOT}/${prefix.name}`)) {
        const oid = `${prefix.name}${entry.name}`;
        if (!entry.isDir && isObjectId(oid)) out.push(oid);
      }
    }
    return out;
  }

  /** Delete an object; a missing one is fine. */
  async delete(oid: string): Promise<void> {
    if (!isObjectId(oid)) throw invalid(`'${oid}' is not a DVC md5 object id`);
    await this.blobs.delete(keyOf(oid));
  }

  /** Copy an object to a local file (for DuckDB, which reads files). */
  async copyTo(oid: string, file: string): Promise<boolean> {
    const found = await this.get(oid);
    if (!found) return false;
    await pipeline(found.stream, createWriteStream(file, { flags: 'wx' }));
    return true;
  }
}
