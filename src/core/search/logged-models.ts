/** search_logged_models: filters over model attributes, metrics, params and tags; structured ORDER BY. */
import { invalid } from '../errors.js';
import type { Comparison } from './filter.js';
import { NUMERIC_OPS, STRING_LIST_OPS, parseFilterFor, type AttributeRule, type SearchGrammar } from './grammar.js';
import { pyList } from './order-by.js';

const text: AttributeRule = { kind: 'string', ops: STRING_LIST_OPS };
const created: AttributeRule = { kind: 'number', ops: NUMERIC_OPS, canonical: 'creation_timestamp' };
const updated: AttributeRule = { kind: 'number', ops: NUMERIC_OPS, canonical: 'last_updated_timestamp' };

const LOGGED_MODELS: SearchGrammar = {
  entities: {
    metric: { kind: 'number', ops: NUMERIC_OPS },
    param: { kind: 'string', ops: STRING_LIST_OPS },
    tag: { kind: 'string', ops: STRING_LIST_OPS },
  },
  attributes: {
    name: text,
    model_id: text,
    model_type: text,
    status: text,
    source_run_id: text,
    creation_timestamp: created,
    creation_time: created,
    last_updated_timestamp: updated,
    last_updated_time: updated,
  },
  orderEntities: ['metric'],
  orderAttributes: {},
};

const ORDER_ATTRIBUTES: Readonly<Record<string, string>> = {
  name: 'name',
  model_id: 'model_id',
  model_type: 'model_type',
  status: 'status',
  source_run_id: 'source_run_id',
  experiment_id: 'experiment_id',
  creation_timestamp: 'creation_timestamp',
  creation_time: 'creation_timestamp',
  creation_timestamp_ms: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
  last_updated_time: 'last_updated_timestamp',
  last_updated_timestamp_ms: 'last_updated_timestamp',
};

/** One ORDER BY item as the wire sends it. */
export interface LoggedModelOrderByRequest {
  readonly field_name: string;
  readonly ascending?: boolean | undefined;
  readonly dataset_name?: string | undefined;
  readonly dataset_digest?: string | undefined;
}

/** A checked ORDER BY item: an attribute (canonical name) or a metric, optionally per dataset. */
export interface LoggedModelOrderBy {
  readonly entity: 'attribute' | 'metric';
  readonly key: string;
  readonly ascending: boolean;
  readonly datasetName?: string;
  readonly datasetDigest?: string;
}

/** A dataset the `datasets` request field restricts metric filters to. */
export interface DatasetScope {
  readonly dataset_name: string;
  readonly dataset_digest?: string | undefined;
}

/** Parse and check a search_logged_models filter. */
export function parseLoggedModelsFilter(filter: string | undefined | null): Comparison[] {
  return parseFilterFor(LOGGED_MODELS, filter);
}

/** Check search_logged_models ORDER BY items (`metrics.<name>` or an attribute). */
export function parseLoggedModelsOrderBy(items: readonly LoggedModelOrderByRequest[] | undefined | null): LoggedModelOrderBy[] {
  return (items ?? []).map((item) => {
    const ascending = item.ascending ?? true;
    const dot = item.field_name.indexOf('.');
    if (dot < 0) {
      const key = ORDER_ATTRIBUTES[item.field_name];
      if (key === undefined) {
        throw invalid(`Invalid order by field name: ${item.field_name}. Valid attributes are ${pyList(Object.keys(ORDER_ATTRIBUTES))}`);
      }
      return { entity: 'attribute', key, ascending };
    }
    const entity = item.field_name.slice(0, dot);
    const key = item.field_name.slice(dot + 1).replace(/^`(.*)`$/, '$1');
    if ((entity !== 'metrics' && entity !== 'metric') || key === '') {
      throw invalid(`Invalid order by field name: ${item.field_name}. Only metrics are supported.`);
    }
    return {
      entity: 'metric',
      key,
      ascending,
      ...(item.dataset_name ? { datasetName: item.dataset_name } : {}),
      ...(item.dataset_digest ? { datasetDigest: item.dataset_digest } : {}),
    };
  });
}

/** Every `datasets` entry must name its dataset (MLflow's sqlalchemy_store.search_logged_models). */
export function checkDatasetScopes(datasets: readonly DatasetScope[] | undefined | null): DatasetScope[] {
  for (const dataset of datasets ?? []) {
    if (!dataset.dataset_name) throw invalid('`dataset_name` in the `datasets` clause must be specified.');
  }
  return [...(datasets ?? [])];
}
