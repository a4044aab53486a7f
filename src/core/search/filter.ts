/**
 * MLflow's filter grammar: comparisons joined by AND, each `<identifier> <comparator> <value>`.
 * This file turns the text into a list of comparisons; which identifiers and comparators a given
 * search accepts is decided by the per-search validators (runs.ts, experiments.ts, ...).
 */
import { invalid } from '../errors.js';
import { tokenize, type Token } from './tokens.js';

/** What a comparison is about: `metrics.x`, `params.x`, `tags.x`, a bare attribute, `dataset.x`. */
export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/** Every comparator the grammar knows, in canonical upper case (`<>` is read as `!=`). */
export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

/** A number, a quoted string, a list of strings (IN / NOT IN), or null (IS [NOT] NULL). */
export type FilterValue = number | string | readonly string[] | null;

/** One parsed comparison, e.g. `metrics.acc > 0.9` is `{ entity: 'metric', key: 'acc', op: '>', value: 0.9 }`. */
export interface Comparison {
  readonly entity: Entity;
  readonly key: string;
  readonly op: Comparator;
  readonly value: FilterValue;
}

/** An identifier as written: its entity and key, before a search checks it is allowed. */
export interface Identifier {
  readonly entity: Entity;
  readonly key: string;
}

// The prefixes MLflow accepts before the dot, with their aliases (search_utils.SearchUtils).
const ENTITY_PREFIXES: Readonly<Record<string, Entity>> = Object.freeze({
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
});

const OPERATORS: Readonly<Record<string, Comparator>> = Object.freeze({
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
});

/** Read the tokens of one identifier starting at `at`; returns it and the index after it. */
export function readIdentifier(tokens: readonly Token[], at: number, source: string): { identifier: Identifier; next: number } {
  const first = tokens[at];
  if (first === undefined) throw invalid(`Invalid filter '${source}'. Expected an identifier at the end.`);
  if (first.kind === 'backtick' || first.kind === 'double') {
    return { identifier: { entity: 'attribute', key: first.text }, next: at + 1 };
  }
  if (first.kind !== 'word') {
    throw invalid(`Invalid clause(s) in filter string: '${first.text}'. Expected an identifier such as 'metrics.<key>' at position ${first.start}.`);
  }
  const quotedKey = tokens[at + 1];
  if (first.text.endsWith('.') && quotedKey !== undefined && quotedKey.start === first.end && (quotedKey.kind === 'backtick' || quotedKey.kind === 'double')) {
    return { identifier: { entity: entityOf(first.text.slice(0, -1)), key: quotedKey.text }, next: at + 2 };
  }
  const dot = first.text.indexOf('.');
  if (dot < 0) return { identifier: { entity: 'attribute', key: first.text }, next: at + 1 };
  const key = first.text.slice(dot + 1);
  if (key === '') throw invalid(`Invalid identifier '${first.text}'. A key must follow the '.'.`);
  return { identifier: { entity: entityOf(first.text.slice(0, dot)), key }, next: at + 1 };
}

function entityOf(prefix: string): Entity {
  const entity = ENTITY_PREFIXES[prefix.toLowerCase()];
  if (entity === undefined) {
    throw invalid(`Invalid entity type '${prefix}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`);
  }
  return entity;
}

const isWord = (token: Token | undefined, word: string): boolean => token?.kind === 'word' && token.text.toUpperCase() === word;

/**
 * Parse a filter string into comparisons. An empty or blank filter is no comparisons.
 * @example parseFilter("metrics.acc > 0.9 and tags.`mlflow.runName` LIKE 'bert%'")
 */
export function parseFilter(source: string | undefined | null): Comparison[] {
  if (source === undefined || source === null || source.trim() === '') return [];
  const tokens = tokenize(source);
  const comparisons: Comparison[] = [];
  let at = 0;
  for (;;) {
    const { comparison, next } = readComparison(tokens, at, source);
    comparisons.push(comparison);
    at = next;
    if (at >= tokens.length) return comparisons;
    const joiner = tokens[at] as Token;
    if (!isWord(joiner, 'AND')) {
      throw invalid(`Invalid clause(s) in filter string: '${source.slice(joiner.start)}'. Comparisons are joined by AND (OR and parentheses are not supported).`);
    }
    at++;
    if (at >= tokens.length) throw invalid(`Invalid filter '${source}'. Expected a comparison after AND.`);
  }
}

function readComparison(tokens: readonly Token[], at: number, source: string): { comparison: Comparison; next: number } {
  const { identifier, next: afterIdentifier } = readIdentifier(tokens, at, source);
  const { op, next: afterOp } = readComparator(tokens, afterIdentifier, source);
  if (op === 'IS NULL' || op === 'IS NOT NULL') {
    return { comparison: { ...identifier, op, value: null }, next: afterOp };
  }
  if (op === 'IN' || op === 'NOT IN') {
    const { values, next } = readList(tokens, afterOp, source);
    return { comparison: { ...identifier, op, value: values }, next };
  }
  const token = tokens[afterOp];
  if (token === undefined) throw invalid(`Invalid filter '${source}'. Expected a value after '${op}'.`);
  if (token.kind === 'number') return { comparison: { ...identifier, op, value: token.value }, next: afterOp + 1 };
  if (token.kind === 'single' || token.kind === 'double') return { comparison: { ...identifier, op, value: token.text }, next: afterOp + 1 };
  throw invalid(
    `Parameter value is either not quoted or unidentified quote types used for string value ${token.text}. Use either single or double quotes.`,
  );
}

function readComparator(tokens: readonly Token[], at: number, source: string): { op: Comparator; next: number } {
  const token = tokens[at];
  if (token === undefined) throw invalid(`Invalid filter '${source}'. Expected a comparator at the end.`);
  if (token.kind === 'operator') {
    const op = OPERATORS[token.text];
    if (op !== undefined) return { op, next: at + 1 };
  }
  if (token.kind === 'word') {
    const word = token.text.toUpperCase();
    if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return { op: word, next: at + 1 };
    if (word === 'NOT' && isWord(tokens[at + 1], 'IN')) return { op: 'NOT IN', next: at + 2 };
    if (word === 'IS' && isWord(tokens[at + 1], 'NULL')) return { op: 'IS NULL', next: at + 2 };
    if (word === 'IS' && isWord(tokens[at + 1], 'NOT') && isWord(tokens[at + 2], 'NULL')) return { op: 'IS NOT NULL', next: at + 3 };
  }
  throw invalid(`Invalid comparison clause in filter '${source}'. Expected a comparator at position ${token.start}, found '${token.text}'.`);
}

function readList(tokens: readonly Token[], at: number, source: string): { values: string[]; next: number } {
  const open = tokens[at];
  if (open?.kind !== 'punct' || open.text !== '(') {
    throw invalid(`Invalid filter '${source}'. Expected a parenthesised list of quoted strings after IN.`);
  }
  const values: string[] = [];
  let next = at + 1;
  if (tokens[next]?.kind === 'punct' && tokens[next]?.text === ')') {
    throw invalid('While parsing a list in the query, expected a non-empty list of string values, but got empty list');
  }
  for (;;) {
    const item = tokens[next];
    if (item?.kind !== 'single' && item?.kind !== 'double') {
      throw invalid(`While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list in '${source}'.`);
    }
    values.push(item.text);
    const separator = tokens[next + 1];
    if (separator?.kind === 'punct' && separator.text === ')') return { values, next: next + 2 };
    if (separator?.kind !== 'punct' || separator.text !== ',') {
      throw invalid(`While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list in '${source}'.`);
    }
    next += 2;
  }
}
