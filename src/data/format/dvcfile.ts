/**
 * `.dvc` pointer files: read the fields DVC 3 writes, keep the ones cairn does not interpret,
 * and write them back in DVC's order (`Output.dumpd`: md5, size, nfiles, isexec, hash, path,
 * then annotations and flags), so a file written by cairn is byte-identical to DVC's.
 */
import { invalid } from '../../core/errors.js';
import { isOid } from './dir-manifest.js';
import { dumpYaml, parseYaml, type YamlValue } from './yaml.js';

/** One tracked output of a pointer file. */
export interface DvcOut {
  /** Path relative to the pointer file's folder (or its `wdir`), with '/' separators. */
  readonly path: string;
  /** MD5 object id; directories end in ".dir". Undefined for an output not yet hashed. */
  readonly md5: string | undefined;
  readonly size: number | undefined;
  readonly nfiles: number | undefined;
  readonly isexec: boolean;
  /** Fields cairn keeps as they are (desc, remote, push, cache, meta, ...). */
  readonly extra: Readonly<Record<string, YamlValue>>;
}

/** A parsed pointer file. */
export interface DvcFile {
  readonly outs: readonly DvcOut[];
  readonly wdir: string | undefined;
  readonly extra: Readonly<Record<string, YamlValue>>;
}

const OUT_KEYS = new Set(['path', 'md5', 'size', 'nfiles', 'isexec', 'hash']);

function parseOut(raw: YamlValue, where: string): DvcOut {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`${where}: each entry of 'outs' must be a mapping`);
  const { path, md5, size, nfiles, isexec, hash } = raw;
  if (typeof path !== 'string' || path === '') throw invalid(`${where}: an output has no 'path'`);
  if (md5 !== undefined && md5 !== null && (typeof md5 !== 'string' || !isOid(md5))) throw invalid(`${where}: '${path}' has an invalid md5 '${String(md5)}'`);
  if (hash === undefined && md5 !== undefined && md5 !== null) {
    throw invalid(`${where}: '${path}' has a DVC 2.x hash (no 'hash: md5'); run 'dvc commit ${where}' with DVC 3 to upgrade it first`);
  }
  if (hash !== undefined && hash !== 'md5') throw invalid(`${where}: '${path}' uses hash '${String(hash)}'; only md5 is supported`);
  const extra: Record<string, YamlValue> = {};
  for (const [k, v] of Object.entries(raw)) if (!OUT_KEYS.has(k)) extra[k] = v;
  return {
    path,
    md5: typeof md5 === 'string' ? md5 : undefined,
    size: typeof size === 'number' ? size : undefined,
    nfiles: typeof nfiles === 'number' ? nfiles : undefined,
    isexec: isexec === true,
    extra,
  };
}

/** Parse a pointer file's text; `where` names it in error messages. */
export function parseDvcFile(text: string, where: string): DvcFile {
  const doc = parseYaml(text, where);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(`${where} is not a DVC file (expected a mapping with 'outs')`);
  const { outs, wdir, deps } = doc;
  if (deps !== undefined) throw invalid(`${where} is an import ('deps'); imports are not supported by cairn data yet`);
  if (!Array.isArray(outs) || outs.length === 0) throw invalid(`${where} has no 'outs'`);
  const extra: Record<string, YamlValue> = {};
  for (const [k, v] of Object.entries(doc)) if (k !== 'outs' && k !== 'wdir') extra[k] = v;
  return { outs: outs.map((o) => parseOut(o, where)), wdir: typeof wdir === 'string' ? wdir : undefined, extra };
}

/** Serialise a pointer file exactly as DVC 3 would. */
export function serializeDvcFile(file: DvcFile): string {
  const outs = file.outs.map((out) => {
    const entry: Record<string, YamlValue> = {};
    if (out.md5 !== undefined) entry['md5'] = out.md5;
    if (out.size !== undefined) entry['size'] = out.size;
    if (out.nfiles !== undefined) entry['nfiles'] = out.nfiles;
    if (out.isexec) entry['isexec'] = true;
    if (out.md5 !== undefined) entry['hash'] = 'md5';
    entry['path'] = out.path;
    return { ...entry, ...out.extra };
  });
  const doc: Record<string, YamlValue> = { outs };
  if (file.wdir !== undefined) doc['wdir'] = file.wdir;
  return dumpYaml({ ...doc, ...file.extra });
}
