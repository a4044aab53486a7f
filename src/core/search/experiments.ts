/** search_experiments: filters over the experiment name, its times, and its tags. */
import type { Comparison } from './filter.js';
import { KEY_VALUE_OPS, NUMERIC_OPS, STRING_OPS, parseFilterFor, parseOrderByFor, type SearchGrammar } from './grammar.js';
import type { OrderBy } from './order-by.js';

/** The experiment attributes a filter or ORDER BY may name. */
export type ExperimentAttribute = 'name' | 'experiment_id' | 'creation_time' | 'last_update_time';

const EXPERIMENTS: SearchGrammar = {
  entities: { tag: { kind: 'string', ops: KEY_VALUE_OPS } },
  attributes: {
    name: { kind: 'string', ops: STRING_OPS },
    creation_time: { kind: 'number', ops: NUMERIC_OPS },
    last_update_time: { kind: 'number', ops: NUMERIC_OPS },
  },
  orderEntities: [],
  orderAttributes: { name: 'name', experiment_id: 'experiment_id', creation_time: 'creation_time', last_update_time: 'last_update_time' },
};

/** Parse and check a search_experiments filter. */
export function parseExperimentsFilter(filter: string | undefined | null): Comparison[] {
  return parseFilterFor(EXPERIMENTS, filter);
}

/** Parse and check search_experiments ORDER BY items. */
export function parseExperimentsOrderBy(orderBy: readonly string[] | undefined | null): OrderBy[] {
  return parseOrderByFor(EXPERIMENTS, orderBy);
}
