import type { Readable } from 'node:stream';

/** One entry of a folder listing: a file with its size, or a sub-folder. */
export interface BlobEntry {
  /** The entry's own name (no slashes). */
  readonly name: string;
  readonly isDir: boolean;
  /** Size in bytes; files only. */
  readonly size?: number;
}

/** A file read back: its bytes as a stream, and its size. */
export interface BlobRead {
  readonly stream: Readable;
  readonly size: number;
}

/**
 * The only place that touches artifact bytes. Keys are relative, already-canonical paths
 * ("1/abc/artifacts/model/MLmodel") that core/paths has confined to the store's root;
 * implementations still refuse anything that would leave the root.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stream bytes in; a reader never sees a half-written file (temporary name, then rename). */
  put(key: string, body: Readable, options?: { contentLength?: number }): Promise<{ size: number }>;
  /** Stream a file out, or undefined when there is no file at the key. */
  get(key: string): Promise<BlobRead | undefined>;
  /** Direct children of a folder key ('' is the root), sorted by name; [] for a file or a missing key. */
  list(prefix: string): Promise<BlobEntry[]>;
  /** Delete a file, or a folder and everything under it. Missing keys are not an error. */
  delete(key: string): Promise<void>;
  /** What is at a key: a file (with size), a folder, or nothing. */
  stat(key: string): Promise<{ isDir: boolean; size?: number } | undefined>;
  close(): Promise<void>;
}
