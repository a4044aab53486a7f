/** Reading `MLmodel` files, which MLflow writes with PyYAML (YAML 1.1). */
import { parse } from 'yaml';
import { invalid } from '../core/errors.js';

/** A parsed YAML value. */
export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

/** Parse an MLmodel document into plain values; a malformed file is a 400 naming the problem. */
export function parseYaml(source: string): YamlValue {
  try {
    // PyYAML speaks YAML 1.1, so read with its rules (e.g. what counts as a boolean).
    return (parse(source, { version: '1.1', uniqueKeys: true }) ?? null) as YamlValue;
  } catch (error) {
    throw invalid(`MLmodel is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}
