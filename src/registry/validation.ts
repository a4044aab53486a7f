/** The registry's input rules (MLflow's utils/validation.py and model_registry handlers). */
import { invalid } from '../core/errors.js';

/** MLflow's registry limits: tag keys 250, tag values 100 000 characters (prompt templates live in tags). */
export const REGISTRY_LIMITS = Object.freeze({ tagKey: 250, tagValue: 100_000, alias: 255, description: 100_000 });

/** The four stages a version can be in, spelled as the wire returns them. */
export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];

/** A registered model name: not empty, and without `/` or `:`, which `models:/` URIs use as separators. */
export function checkModelName(name: string, field = 'name'): void {
  if (!name) throw invalid(`Missing value for required parameter '${field}'. Registered model name cannot be empty.`);
  if (name.includes('/') || name.includes(':')) {
    throw invalid(`Invalid value '${name}' for parameter '${field}': registered model names cannot contain '/' or ':'.`);
  }
}

/** Versions travel as strings; only whole non-negative numbers name one. */
export function parseVersion(version: string | number): number {
  const text = String(version).trim();
  if (!/^\d{1,15}$/.test(text)) throw invalid(`Parameter 'version' must be an integer, got '${String(version)}'.`);
  return Number(text);
}

// \w is Unicode-aware in MLflow (Python re); the u flag with \p classes matches that.
const ALIAS_PATTERN = /^[\p{L}\p{N}_-]*$/u;
const TAG_KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;

/** An alias name to set: word characters and dashes, at most 255, and not one of the reserved forms. */
export function checkAliasToSet(alias: string): void {
  checkAliasName(alias);
  // `latest` and `v<n>` already mean something in `models:/name@...` and `models:/name/...` URIs.
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw invalid(`'${alias}' alias name (case insensitive) is reserved. Aliases 'latest' and 'v<number>' cannot be set.`);
  }
}

/** An alias name as it may be looked up or deleted. */
export function checkAliasName(alias: string): void {
  if (!alias) throw invalid("Missing value for required parameter 'alias'.");
  if (!ALIAS_PATTERN.test(alias)) {
    throw invalid(`Invalid alias name: '${alias}'. Alias names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  if (alias.length > REGISTRY_LIMITS.alias) {
    throw invalid(`Alias name '${alias.slice(0, 40)}...' had length ${alias.length}, which exceeded length limit of ${REGISTRY_LIMITS.alias}`);
  }
}

/** A stage name, any case, in the capitalised form MLflow stores and returns. */
export function parseStage(stage: string): Stage {
  const found = STAGES.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
  if (found === undefined) throw invalid(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  return found;
}

/** A registry tag: a key MLflow would accept and a value within the limit. */
export function checkTag(key: string, value: string): void {
  if (!key) throw invalid("Missing value for required parameter 'key'. A tag key must not be empty.");
  if (!TAG_KEY_PATTERN.test(key)) {
    throw invalid(`Invalid tag name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`);
  }
  if (key.length > REGISTRY_LIMITS.tagKey) {
    throw invalid(`Tag key '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of ${REGISTRY_LIMITS.tagKey}`);
  }
  if (value.length > REGISTRY_LIMITS.tagValue) {
    throw invalid(`Tag value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${REGISTRY_LIMITS.tagValue} (key '${key}')`);
  }
}

/** Repeated keys in one request keep the last value, as successive set-tag calls would. */
export function lastValuePerKey(tags: readonly { key: string; value: string }[]): { key: string; value: string }[] {
  const byKey = new Map<string, string>();
  for (const t of tags) {
    checkTag(t.key, t.value);
    byKey.set(t.key, t.value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}
