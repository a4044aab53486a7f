/**
 * DVC's directory manifest (`<md5>.dir`): a JSON array of `{"md5", "relpath"}` sorted by relpath,
 * serialised exactly as Python's `json.dumps(list, sort_keys=True)` does (separators ", " and
 * ": ", non-ASCII escaped as \uXXXX), and named by the MD5 of those bytes plus ".dir"
 * (dvc_data/hashfile/tree.py, `Tree.as_bytes` and `Tree.digest`).
 */
import { createHash } from 'node:crypto';
import { invalid } from '../../core/errors.js';

/** One file of a tracked directory. */
export interface ManifestEntry {
  readonly md5: string;
  /** Path inside the directory, with '/' separators. */
  readonly relpath: string;
}

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
// UTF-16 surrogates: the only code units where JS string order and code point order disagree.
const SURROGATE = /[\ud800-\udfff]/;

/** Python's default `json.dumps` string form: ASCII only, lower-case \u escapes. */
export function pythonJsonString(value: string): string {
  // Most names are printable ASCII with nothing to escape: skip the two regex passes for them.
  if (PLAIN.test(value)) return `"${value}"`;
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Order strings by Unicode code point, as Python's `sorted` does (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) stand for code points above 0xFFFF, so they sort after 0xE000-0xFFFF.
    const rank = (c: number): number => (c >= 0xd800 && c <= 0xdfff ? c + 0x10000 : c);
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Sort in place by a string key in code point order (plain comparison unless a key has surrogates). */
export function sortByCodePoints<T>(items: T[], keyOf: (item: T) => string): T[] {
  const astral = items.some((item) => SURROGATE.test(keyOf(item)));
  return items.sort(astral ? (a, b) => compareCodePoints(keyOf(a), keyOf(b)) : (a, b) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The manifest bytes for a directory's files (any order in, sorted out). */
export function serializeManifest(entries: readonly ManifestEntry[]): Buffer {
  const sorted = sortByCodePoints([...entries], (e) => e.relpath);
  const items = sorted.map((e) => `{"md5": ${pythonJsonString(e.md5)}, "relpath": ${pythonJsonString(e.relpath)}}`);
  return Buffer.from(`[${items.join(', ')}]`, 'utf8');
}

/** The object id of a manifest: its MD5 with ".dir" appended. */
export function manifestOid(bytes: Buffer): string {
  return `${createHash('md5').update(bytes).digest('hex')}.dir`;
}

/** Read a manifest back; `where` names it in error messages. */
export function parseManifest(bytes: Buffer, where: string): ManifestEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(`${where} is not a valid directory manifest (not JSON)`);
  }
  if (!Array.isArray(data)) throw invalid(`${where} is not a valid directory manifest (not a list)`);
  return data.map((item: unknown) => {
    const e = item as { md5?: unknown; relpath?: unknown };
    if (typeof e?.md5 !== 'string' || typeof e.relpath !== 'string' || !isSafeRelpath(e.relpath)) {
      throw invalid(`${where} has an invalid entry: ${JSON.stringify(item)}`);
    }
    return { md5: e.md5, relpath: e.relpath };
  });
}

/** A manifest path may not climb out of its directory or be absolute. */
function isSafeRelpath(relpath: string): boolean {
  if (relpath === '' || relpath.startsWith('/') || relpath.includes('\0')) return false;
  return relpath.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** True for a DVC MD5 object id: 32 hex digits, with ".dir" for manifests. */
export function isOid(value: string): boolean {
  return /^[0-9a-f]{32}(\.dir)?$/.test(value);
}
