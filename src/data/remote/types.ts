/** One interface for every place a repository's objects can be pushed to and pulled from. */

/** What a remote can do cheaply, so transfers pick the right strategy without asking its kind. */
export interface RemoteCapabilities {
  /** Objects are plain local files: pull copies them with one read and verifies on the way. */
  readonly localFiles: boolean;
  /** One existence check costs a network round trip; above a few hundred objects, list instead. */
  readonly existsIsRemoteCall: boolean;
}

/** A DVC remote in DVC 3's layout (`<url>/files/md5/xx/rest`). */
export interface DataRemote {
  readonly name: string;
  readonly url: string;
  readonly capabilities: RemoteCapabilities;
  /** Which of `oids` the remote holds. */
  has(oids: readonly string[]): Promise<Set<string>>;
  /** Every object id on the remote. */
  list(): Promise<Set<string>>;
  /** Store a local file as an object. Atomic: the object appears whole or not at all. */
  upload(oid: string, file: string, size: number): Promise<void>;
  /** Write an object's bytes to `dst` (a temporary file the caller verifies and moves). */
  download(oid: string, dst: string): Promise<void>;
  /** For remotes with `localFiles`: the object's file path. */
  localPath(oid: string): string;
  /** Delete objects (missing ones are fine). */
  remove(oids: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** The relative key of an object under a remote's root. */
export const objectKey = (oid: string): string => `files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;

/** Parse an object key back to its id, or undefined for anything else. */
export function oidFromKey(key: string): string | undefined {
  const m = /(?:^|\/)files\/md5\/([0-9a-f]{2})\/([0-9a-f]{30}(?:\.dir)?)$/.exec(key);
  return m ? `${m[1]}${m[2]}` : undefined;
}
