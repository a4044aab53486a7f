/**
 * The one place that turns a path from a request into a storage key, and a key into a file
 * inside a root. Every rule here answers an attack MLflow servers have seen (see
 * shared/ref/mlflow-security-and-scale.md, section B): `../`, double-encoded `%252e%252e`,
 * backslashes, `#`/`?`/`;` smuggling, absolute paths, URI schemes, symlinks.
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { CairnError } from './errors.js';

/** Longest single path segment, in UTF-8 bytes (NAME_MAX on Linux and most filesystems). */
export const MAX_SEGMENT_BYTES = 255;
/** Longest whole key, in UTF-8 bytes (PATH_MAX on Linux). */
export const MAX_PATH_BYTES = 4096;
/** Percent-decoding rounds after the framework's own; a third layer of encoding is an attack. */
const MAX_DECODE_ROUNDS = 3;

// \p{Cc} covers C0 controls (NUL included), DEL and the C1 block; \p{Cs} in a `u` regex only
// matches a lone surrogate, which no filesystem name can hold faithfully.
const CONTROL_OR_BROKEN = /[\p{Cc}\p{Cs}]/u;
const URI_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const DRIVE_LETTER = /^[a-z]:/i;

function refuse(path: string, rule: string): CairnError {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return new CairnError('INVALID_PARAMETER_VALUE', `Invalid artifact path '${escapeForMessage(shown)}': ${rule}`);
}

// Control characters in an error message would let a caller forge log lines.
function escapeForMessage(text: string): string {
  return text.replace(/[\p{Cc}\p{Cs}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Percent-decode until nothing changes; malformed or still-encoded input is refused. */
function decodeFully(raw: string): string {
  let current = raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    if (!current.includes('%')) return current;
    try {
      current = decodeURIComponent(current);
    } catch {
      throw refuse(raw, "'%' must start a valid percent-encoded UTF-8 sequence");
    }
  }
  if (current.includes('%')) throw refuse(raw, `still percent-encoded after ${MAX_DECODE_ROUNDS} rounds of decoding`);
  return current;
}

/** Refusals that hold for the decoded text as a whole, before it is split into segments. */
function checkDecodedText(raw: string, decoded: string): void {
  if (CONTROL_OR_BROKEN.test(decoded)) throw refuse(raw, 'control characters (including NUL) are not allowed');
  if (decoded.includes('\\')) throw refuse(raw, "backslashes are not allowed; use '/' between folders");
  if (/[#?;]/.test(decoded)) throw refuse(raw, "'#', '?' and ';' are not allowed in artifact paths");
  if (decoded.startsWith('/')) throw refuse(raw, "must be relative: absolute paths (starting with '/') are not allowed");
  checkStart(raw, decoded);
  if (Buffer.byteLength(decoded, 'utf8') > MAX_PATH_BYTES) throw refuse(raw, `longer than ${MAX_PATH_BYTES} bytes`);
}

/** Refusals for how a path starts; checked again after '.' segments are dropped ('./file:x'). */
function checkStart(raw: string, path: string): void {
  if (DRIVE_LETTER.test(path)) throw refuse(raw, 'must be relative: drive letters are not allowed');
  if (URI_SCHEME.test(path)) throw refuse(raw, 'must be a relative path, not a URI with a scheme');
  if (path.startsWith('~')) throw refuse(raw, "must not start with '~'");
}

/** Split on '/', drop empty and '.' segments, refuse '..' and over-long names. */
function canonicalSegments(raw: string, decoded: string): string[] {
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw refuse(raw, "'..' segments are not allowed");
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      throw refuse(raw, `a single name may be at most ${MAX_SEGMENT_BYTES} bytes`);
    }
    segments.push(segment);
  }
  return segments;
}

/**
 * Canonical storage key for an artifact path as it arrives from a request (already URL-decoded
 * once by the HTTP framework). Returns '' for the root; throws INVALID_PARAMETER_VALUE naming
 * the rule the path breaks.
 * @example artifactKey('model/./MLmodel') === 'model/MLmodel'
 */
export function artifactKey(rawPath: string): string {
  // Bound the work before decoding: three bytes of "%XX" per decoded byte is the most it can shrink.
  if (rawPath.length > MAX_PATH_BYTES * 3) throw refuse(rawPath, `longer than ${MAX_PATH_BYTES} bytes`);
  const decoded = decodeFully(rawPath);
  checkDecodedText(rawPath, decoded);
  const key = canonicalSegments(rawPath, decoded).join('/');
  checkStart(rawPath, key);
  return key;
}

/**
 * Refuse a key that is not already canonical, without decoding it again: blob stores call this
 * so a key built by a service (not a request) is held to the same shape.
 */
export function assertCanonicalKey(key: string): void {
  if (CONTROL_OR_BROKEN.test(key)) throw refuse(key, 'control characters (including NUL) are not allowed');
  if (key.includes('\\')) throw refuse(key, "backslashes are not allowed; use '/' between folders");
  if (Buffer.byteLength(key, 'utf8') > MAX_PATH_BYTES) throw refuse(key, `longer than ${MAX_PATH_BYTES} bytes`);
  if (key === '') return;
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw refuse(key, "a storage key must be relative, with no empty, '.' or '..' segments");
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      throw refuse(key, `a single name may be at most ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
}

/** True when `candidate` (resolved) is `root` (resolved) or lies below it. */
export function isInside(root: string, candidate: string): boolean {
  const base = resolve(root);
  const target = resolve(candidate);
  if (target === base) return true;
  const prefix = base.endsWith(sep) ? base : base + sep;
  return target.startsWith(prefix);
}

/**
 * Absolute filesystem path of a key under a local root, refused unless it lies inside the root.
 * @example confine('/data/artifacts', '1/abc/model.pkl') === '/data/artifacts/1/abc/model.pkl'
 */
export function confine(root: string, key: string): string {
  assertCanonicalKey(key);
  const target = resolve(root, key);
  if (!isInside(root, target)) throw refuse(key, 'resolves outside the artifact root');
  return target;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Refuse a path whose existing part reaches outside `root` through a symlink. Resolves the
 * deepest existing ancestor with realpath; returns the real path of `absPath` (the resolved
 * ancestor plus the not-yet-existing rest) so callers open a name with no symlinks left in it.
 */
export async function assertNoSymlinkEscape(root: string, absPath: string): Promise<string> {
  const realRoot = await realpath(root);
  // Errors name the path as the caller knows it (relative to the root), never the server's folders.
  const shown = isInside(root, absPath) ? relative(resolve(root), resolve(absPath)) : absPath;
  const missing: string[] = [];
  let candidate = resolve(absPath);
  for (;;) {
    try {
      const real = await realpath(candidate);
      if (!isInside(realRoot, real)) throw refuse(shown, 'a symlink leads outside the artifact root');
      return missing.length === 0 ? real : resolve(real, ...missing.reverse());
    } catch (error) {
      if (error instanceof CairnError) throw error;
      const code = errorCode(error);
      if (code === 'ELOOP') throw refuse(shown, 'a symlink loops back on itself');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    // realpath failed: the name is missing, or it is a symlink whose target is missing. A
    // dangling symlink could later be written through to anywhere, so it is refused.
    const isDanglingLink = await lstat(candidate).then(
      (stats) => stats.isSymbolicLink(),
      () => false,
    );
    if (isDanglingLink) throw refuse(shown, 'a symlink points at nothing');
    const parent = dirname(candidate);
    if (parent === candidate) throw refuse(shown, 'no part of the path exists');
    missing.push(candidate.slice(parent.length).replace(/^[\\/]+/, ''));
    candidate = parent;
  }
}

const ARTIFACT_SCHEME = 'mlflow-artifacts:';

/**
 * Storage key of an `mlflow-artifacts:` URI (`mlflow-artifacts:/1/abc/artifacts/model`, or with
 * an authority, `mlflow-artifacts://host:5000/1/abc/...`); any other scheme is refused.
 */
export function parseArtifactUri(uri: string): string {
  if (!uri.toLowerCase().startsWith(ARTIFACT_SCHEME)) {
    const scheme = URI_SCHEME.exec(uri)?.[0];
    const what = scheme === undefined ? 'a bare path' : `scheme '${scheme.slice(0, -1)}'`;
    throw new CairnError(
      'INVALID_PARAMETER_VALUE',
      `Invalid artifact URI '${escapeForMessage(uri.slice(0, 200))}': only mlflow-artifacts: URIs are accepted, not ${what}`,
    );
  }
  let rest = uri.slice(ARTIFACT_SCHEME.length);
  if (rest.startsWith('//')) {
    // The authority names the server the client talked to; the bytes are in this server's store.
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  // The path part of the URI is absolute by form ("/1/abc"); the key is the same path, relative.
  if (rest.startsWith('/') && !rest.startsWith('//')) rest = rest.slice(1);
  return artifactKey(rest);
}
