/**
 * The YAML that `.dvc` files are made of: a writer whose bytes match DVC's (ruamel.yaml, block
 * style, sequences not indented under their key) and a reader for the block-style subset that
 * DVC and people write into pointer files.
 */
import { invalid } from '../../core/errors.js';
import { createRequire } from 'node:module';
import type { parse as yamlParse } from 'yaml';
import { parseCommonPointer } from './pointer-fast.js';
import { YamlWriter } from './yaml-scalar.js';

// The full parser is loaded on first need only: most pointer files take the fast path.
let fullParse: typeof yamlParse | undefined;
const loadParser = (): typeof yamlParse => (fullParse ??= (createRequire(import.meta.url)('yaml') as { parse: typeof yamlParse }).parse);

/** A YAML value as `.dvc` files use them. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

const isMapping = (v: YamlValue): v is { [key: string]: YamlValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

function writeInline(w: YamlWriter, value: YamlValue, indent: number): boolean {
  w.indent = indent;
  if (value === null) return true;
  if (typeof value === 'string') w.string(value);
  else if (typeof value === 'number' || typeof value === 'boolean') w.indicator(String(value), true);
  else if (Array.isArray(value) && value.length === 0) w.indicator('[]', true);
  else if (isMapping(value) && Object.keys(value).length === 0) w.indicator('{}', true);
  else return false;
  return true;
}

function writeMapping(w: YamlWriter, map: { [key: string]: YamlValue }, indent: number, firstInline: boolean): void {
  let first = firstInline;
  for (const [key, value] of Object.entries(map)) {
    if (!first) {
      w.lineBreak();
      w.write(' '.repeat(indent));
    }
    first = false;
    w.whitespace = true;
    w.indent = indent;
    w.string(key, false);
    w.indicator(':', false);
    if (writeInline(w, value, indent + 2)) continue;
    w.lineBreak();
    if (Array.isArray(value)) writeSequence(w, value, indent);
    else if (isMapping(value)) {
      w.write(' '.repeat(indent + 2));
      writeMapping(w, value, indent + 2, true);
    }
  }
}

function writeSequence(w: YamlWriter, items: YamlValue[], indent: number): void {
  items.forEach((item, i) => {
    if (i > 0) w.lineBreak();
    w.write(`${' '.repeat(indent)}-`);
    w.whitespace = false;
    if (isMapping(item) && Object.keys(item).length > 0) {
      w.write(' ');
      writeMapping(w, item, indent + 2, true);
    } else if (Array.isArray(item) && item.length > 0) {
      w.lineBreak();
      writeSequence(w, item, indent + 2);
    } else writeInline(w, item, indent + 2);
  });
}

/** Serialise a mapping the way DVC's ruamel.yaml dumper does. */
export function dumpYaml(doc: { [key: string]: YamlValue }): string {
  const w = new YamlWriter();
  writeMapping(w, doc, 0, true);
  w.lineBreak();
  return w.out;
}

/** Parse a `.dvc`-style YAML document; `where` names the file in error messages. */
export function parseYaml(text: string, where: string): YamlValue {
  const common = parseCommonPointer(text);
  if (common !== undefined) return common;
  try {
    return (loadParser()(text, { uniqueKeys: true }) ?? null) as YamlValue;
  } catch (error) {
    throw invalid(`${where} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}
