/**
 * A reader for the one shape nearly every pointer file has, the one `dvc add` and `cairn data add`
 * write (`outs:` with one entry of md5, size, nfiles, isexec, hash and path), so reading it does
 * not load a full YAML parser (tens of milliseconds on every command). Anything else, or any value
 * whose YAML meaning is not certain from its characters alone, returns undefined and goes to the
 * full parser, so the two always agree.
 */
import type { YamlValue } from './yaml.js';

const MD5 = /^[0-9a-f]{32}(\.dir)?$/;
// Only letters a-f other than 'e' make a bare hex string certainly not a YAML number (1e10 is a float).
const NOT_NUMERIC = /[abcdf]|\.dir$/;
const COUNT = /^(0|[1-9][0-9]{0,14})$/;
// Starting with a letter and without YAML indicators, a plain scalar is a string unless it is one of these words.
const PLAIN_PATH = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);

function scalar(key: string, raw: string): YamlValue | undefined {
  switch (key) {
    case 'md5':
      return MD5.test(raw) && NOT_NUMERIC.test(raw) ? raw : undefined;
    case 'size':
    case 'nfiles':
      return COUNT.test(raw) ? Number(raw) : undefined;
    case 'hash':
      return raw === 'md5' ? raw : undefined;
    case 'isexec':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'path':
      return PLAIN_PATH.test(raw) && !RESERVED.has(raw) ? raw : undefined;
    default:
      return undefined;
  }
}

/** The document of a pointer file in the common shape, or undefined when the full parser must decide. */
export function parseCommonPointer(text: string): YamlValue | undefined {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== 'outs:' || lines.length < 2) return undefined;
  const out: Record<string, YamlValue> = {};
  for (let i = 1; i < lines.length; i++) {
    const m = /^(- |  )([a-z0-9]+): (\S+)$/.exec(lines[i] as string);
    if (m === null || (i === 1) !== (m[1] === '- ')) return undefined;
    const key = m[2] as string;
    const value = scalar(key, m[3] as string);
    if (value === undefined || key in out) return undefined;
    out[key] = value;
  }
  return typeof out['path'] === 'string' ? { outs: [out] } : undefined;
}
