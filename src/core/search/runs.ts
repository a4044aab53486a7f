/** search_runs: filters over metrics, params, tags, run attributes and the datasets a run used. */
import type { Comparison } from './filter.js';
import { KEY_VALUE_OPS, NUMERIC_OPS, STRING_LIST_OPS, STRING_OPS, parseFilterFor, parseOrderByFor, type AttributeRule, type SearchGrammar } from './grammar.js';
import type { OrderBy } from './order-by.js';

/** The run attributes a filter or ORDER BY may name, in canonical form. */
export type RunAttribute = 'run_id' | 'run_name' | 'user_id' | 'status' | 'start_time' | 'end_time' | 'artifact_uri';

const text: AttributeRule = { kind: 'string', ops: STRING_OPS };
const time: AttributeRule = { kind: 'number', ops: NUMERIC_OPS };
const runName: AttributeRule = { ...text, canonical: 'run_name' };
const created: AttributeRule = { ...time, canonical: 'start_time' };

// MLflow's SearchUtils: IN lists are for run_id only; "run name" and "created" are aliases.
const RUNS: SearchGrammar = {
  entities: {
    metric: { kind: 'number', ops: NUMERIC_OPS },
    param: { kind: 'string', ops: KEY_VALUE_OPS },
    tag: { kind: 'string', ops: KEY_VALUE_OPS },
    dataset: { kind: 'string', ops: STRING_LIST_OPS },
  },
  attributes: {
    run_id: { kind: 'string', ops: STRING_LIST_OPS },
    run_name: runName,
    'run name': runName,
    'Run name': runName,
    'Run Name': runName,
    user_id: text,
    status: text,
    artifact_uri: text,
    start_time: time,
    created: created,
    Created: created,
    end_time: time,
  },
  datasetKeys: ['name', 'digest', 'context'],
  orderEntities: ['metric', 'param', 'tag'],
  orderAttributes: {
    run_id: 'run_id',
    run_name: 'run_name',
    'run name': 'run_name',
    user_id: 'user_id',
    status: 'status',
    artifact_uri: 'artifact_uri',
    start_time: 'start_time',
    created: 'start_time',
    Created: 'start_time',
    end_time: 'end_time',
  },
};

/** Parse and check a search_runs filter. */
export function parseRunsFilter(filter: string | undefined | null): Comparison[] {
  return parseFilterFor(RUNS, filter);
}

/** Parse and check search_runs ORDER BY items. */
export function parseRunsOrderBy(orderBy: readonly string[] | undefined | null): OrderBy[] {
  return parseOrderByFor(RUNS, orderBy);
}
