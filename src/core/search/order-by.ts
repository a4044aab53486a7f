/** MLflow's ORDER BY items: `<identifier> [ASC|DESC]`, ascending by default. */
import { invalid } from '../errors.js';
import { readIdentifier, type Entity } from './filter.js';
import { tokenize } from './tokens.js';

/** One ORDER BY item, e.g. `metrics.acc DESC` is `{ entity: 'metric', key: 'acc', ascending: false }`. */
export interface OrderBy {
  readonly entity: Entity;
  readonly key: string;
  readonly ascending: boolean;
}

/**
 * Parse one ORDER BY item.
 * @example parseOrderBy('tags.`mlflow.runName` DESC')
 */
export function parseOrderBy(source: string): OrderBy {
  const unparsable = () => invalid(`Invalid order_by clause '${source}'. Could not be parsed.`);
  if (source.trim() === '') throw unparsable();
  const tokens = tokenize(source);
  const { identifier, next } = readIdentifier(tokens, 0, source);
  if (next === tokens.length) return { ...identifier, ascending: true };
  const direction = tokens[next];
  if (next + 1 !== tokens.length || direction?.kind !== 'word') throw unparsable();
  const word = direction.text.toUpperCase();
  if (word !== 'ASC' && word !== 'DESC') throw invalid(`Invalid ordering key in order_by clause '${source}'.`);
  return { ...identifier, ascending: word === 'ASC' };
}

/** Reject a list that orders by the same field twice, as MLflow's SQL store does. */
export function rejectDuplicateOrderBy(items: readonly OrderBy[], sources: readonly string[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const field = `${item.entity}.${item.key}`;
    if (seen.has(field)) throw invalid(`\`order_by\` contains duplicate fields: ${pyList(sources)}`);
    seen.add(field);
  }
}

/** Render names the way MLflow's messages print a Python list: `['a', 'b']`. */
export function pyList(items: Iterable<string>): string {
  return `[${[...items].map((item) => `'${item}'`).join(', ')}]`;
}
