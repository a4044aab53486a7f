/**
 * Artifact bytes in a local folder. Writes go to a temporary file beside the target, are
 * fsynced, then renamed into place, so a reader sees the old file or the whole new one.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalid } from '../core/errors.js';
import { assertNoSymlinkEscape, confine, isInside } from '../core/paths.js';
import type { BlobEntry, BlobRead, BlobStore } from './types.js';

// Only the server's own user reads the store: no world-readable temp files (CVE-2022-0736,
// CVE-2026-4137 were temp files and folders other local users could read or swap).
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const TEMP_NAME = /^\..*\.[0-9a-f]{16}\.tmp$/;
const TEMP_NAME_MAX_BYTES = 200;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '');

/** `.<name>.<16 hex>.tmp`, with the name shortened so the whole stays within NAME_MAX. */
function tempNameFor(name: string): string {
  let short = '';
  for (const char of name) {
    if (Buffer.byteLength(short + char, 'utf8') > TEMP_NAME_MAX_BYTES) break;
    short += char;
  }
  return `.${short}.${randomBytes(8).toString('hex')}.tmp`;
}

/** Make a rename durable: the new directory entry survives a power cut only once the folder is synced. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A BlobStore over a folder on this machine. */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local';

  private constructor(private readonly root: string) {}

  /** Open (creating if needed) a store rooted at `root`. */
  static async open(root: string): Promise<LocalBlobStore> {
    await mkdir(root, { recursive: true, mode: DIR_MODE });
    // Resolve once, so a root reached through a symlink (/tmp on macOS) is not itself "outside".
    return new LocalBlobStore(await realpath(root));
  }

  /** The real path of a key: confined to the root, with no symlink in it leading out. */
  private async locate(key: string): Promise<string> {
    return assertNoSymlinkEscape(this.root, confine(this.root, key));
  }

  async put(key: string, body: Readable, options?: { contentLength?: number }): Promise<{ size: number }> {
    if (key === '') throw invalid('Cannot write a file at the artifact root; give a file name');
    const target = await this.locate(key);
    const folder = dirname(target);
    try {
      await mkdir(folder, { recursive: true, mode: DIR_MODE });
    } catch (error) {
      if (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOTDIR') {
        throw invalid(`Cannot write '${key}': a parent of it is a file, not a folder`);
      }
      throw error;
    }
    // mkdir may have raced with someone planting a symlink; check the created chain again.
    await this.locate(key);
    const temp = join(folder, tempNameFor(basename(target)));
    let handle: FileHandle | undefined;
    try {
      handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_MODE);
      // The stream owns the handle from here: it fsyncs (flush) and closes it, also on error.
      const file = handle.createWriteStream({ flush: true });
      handle = undefined;
      await pipeline(body, file);
      const size = file.bytesWritten;
      if (options?.contentLength !== undefined && size !== options.contentLength) {
        throw invalid(`Upload of '${key}' ended after ${size} of ${options.contentLength} bytes`);
      }
      await this.moveIntoPlace(key, temp, target);
      await syncFolder(folder);
      return { size };
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  private async moveIntoPlace(key: string, temp: string, target: string): Promise<void> {
    try {
      await rename(temp, target);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw invalid(`Cannot write '${key}': a folder of that name exists`);
      }
      throw error;
    }
  }

  async get(key: string): Promise<BlobRead | undefined> {
    const real = await this.locate(key);
    let handle: FileHandle;
    try {
      // The path is already real; O_NOFOLLOW refuses a symlink swapped in since the check.
      handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (isMissing(error) || errorCode(error) === 'EISDIR') return undefined;
      if (errorCode(error) === 'ELOOP') throw invalid(`Artifact path '${key}' changed into a symlink while being read`);
      throw error;
    }
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return undefined;
    }
    return { stream: handle.createReadStream({ highWaterMark: 1 << 20 }), size: stats.size };
  }

  async list(prefix: string): Promise<BlobEntry[]> {
    const folder = await this.locate(prefix);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const entries = await Promise.all(names.filter((name) => !TEMP_NAME.test(name)).map((name) => this.describe(join(folder, name), name)));
    return entries.filter((entry): entry is BlobEntry => entry !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** One listing entry; undefined for a name that vanished, is not a file or folder, or links outside. */
  private async describe(path: string, name: string): Promise<BlobEntry | undefined> {
    try {
      const link = await lstat(path);
      if (link.isSymbolicLink() && !isInside(this.root, await realpath(path))) return undefined;
      const stats = link.isSymbolicLink() ? await stat(path) : link;
      if (stats.isDirectory()) return { name, isDir: true };
      if (stats.isFile()) return { name, isDir: false, size: stats.size };
      return undefined;
    } catch (error) {
      if (isMissing(error) || errorCode(error) === 'ELOOP') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (key === '') throw invalid('Refusing to delete the whole artifact root');
    await this.locate(key);
    // rm on the confined (not real) path removes an in-root symlink itself, never its target.
    await rm(confine(this.root, key), { recursive: true, force: true });
  }

  async stat(key: string): Promise<{ isDir: boolean; size?: number } | undefined> {
    const real = await this.locate(key);
    try {
      const stats = await stat(real);
      if (stats.isDirectory()) return { isDir: true };
      if (stats.isFile()) return { isDir: false, size: stats.size };
      return undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}
