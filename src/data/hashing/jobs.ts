/** The messages between the main thread and the hashing workers. */

/** A file as the main thread saw it when it walked the tree; the worker refuses it if it changed. */
export interface SeenStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** Hash a file, or copy it while hashing it (into the cache by its hash, or to a set destination). */
export interface FileTask {
  readonly src: string;
  readonly seen?: SeenStat;
  /** The MD5 the bytes must have; a mismatch means a corrupted object and nothing is placed. */
  readonly expect?: string;
  /** Copy into `<cacheFiles>/<xx>/<rest>` named by the hash (skipped when already there). */
  readonly cacheFiles?: string;
  /** Copy to this exact path (replacing what is there). */
  readonly dst?: string;
  /** Permission bits of the placed file. */
  readonly mode?: number;
  /** Folder for temporary files when the destination folder is not known in advance. */
  readonly tmpDir?: string;
}

/**
 * Copy a file to `dst` without reading it into JavaScript (a reflink where the file system can,
 * else the kernel's copy), under a temporary name in `dst`'s folder, then renamed into place.
 * For pushes to a folder remote, which copy what the cache holds, as DVC does, without hashing.
 */
export interface CopyTask {
  readonly kind: 'copy';
  readonly src: string;
  readonly dst: string;
}

export type TaskResult =
  | { readonly ok: true; readonly md5: string; readonly size: number; readonly placed: boolean }
  | { readonly ok: false; readonly reason: 'changed' | 'corrupted' | 'io'; readonly message: string; readonly md5?: string };

export interface WorkerRequest {
  readonly id: number;
  readonly tasks: readonly (FileTask | CopyTask)[];
}

export type WorkerMessage =
  | { readonly id: number; readonly kind: 'progress'; readonly bytes: number; readonly files: number }
  | { readonly id: number; readonly kind: 'done'; readonly results: readonly TaskResult[] };
