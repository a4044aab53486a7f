/** search_logged_models: filter, datasets, structured ORDER BY and page token as one SQL query. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { invalid } from '../../core/errors.js';
import {
  checkDatasetScopes,
  decodePageTokenObject,
  parseLoggedModelsFilter,
  parseLoggedModelsOrderBy,
  type Comparison,
  type DatasetScope,
  type LoggedModelOrderBy,
  type LoggedModelOrderByRequest,
} from '../../core/search/index.js';
import type { Db } from '../db.js';
import type { DialectKind } from '../dialect.js';
import { nullsLastOrder, numberCondition, textCondition, textSortKey } from './compare.js';
import { checkMaxResults, experimentIdNumbers, finishPage } from './paging.js';
import { QueryParts, col } from './query-parts.js';

/** What search_logged_models asks for. */
export interface SearchLoggedModelsQuery {
  readonly experimentIds: readonly (string | number)[];
  readonly filter?: string | undefined;
  readonly datasets?: readonly DatasetScope[] | undefined;
  readonly maxResults: number;
  readonly orderBy?: readonly LoggedModelOrderByRequest[] | undefined;
  readonly pageToken?: string | undefined;
}

/** A page of logged model ids and the token for the next page. */
export interface SearchLoggedModelsResult {
  readonly modelIds: string[];
  readonly nextPageToken?: string;
}

const COLUMNS: Readonly<Record<string, { column: string; text: boolean; nullable: boolean }>> = {
  name: { column: 'name', text: true, nullable: false },
  model_id: { column: 'model_id', text: true, nullable: false },
  model_type: { column: 'model_type', text: true, nullable: true },
  status: { column: 'status', text: true, nullable: false },
  source_run_id: { column: 'source_run_id', text: true, nullable: true },
  experiment_id: { column: 'experiment_id', text: false, nullable: false },
  creation_timestamp: { column: 'creation_timestamp_ms', text: false, nullable: false },
  last_updated_timestamp: { column: 'last_updated_timestamp_ms', text: false, nullable: false },
};

/** Run the search and return one page of logged model ids (active models only). */
export async function searchLoggedModelIds(db: Db, query: SearchLoggedModelsQuery): Promise<SearchLoggedModelsResult> {
  checkMaxResults(query.maxResults);
  const comparisons = parseLoggedModelsFilter(query.filter);
  const datasets = checkDatasetScopes(query.datasets);
  const orderBy = parseLoggedModelsOrderBy(query.orderBy);
  const experimentIds = experimentIdNumbers(query.experimentIds);
  // MLflow's logged-model token also names the search it belongs to, and refuses another search's token.
  const identity = { experiment_ids: experimentIds.map(String), filter_string: query.filter ?? null, order_by: query.orderBy ?? [] };
  const offset = offsetFor(query.pageToken, identity);
  if (experimentIds.length === 0 || query.maxResults === 0) return { modelIds: [] };

  const parts = new QueryParts();
  parts.where.push(sql<SqlBool>`lm.experiment_id in (${sql.join(experimentIds)})`);
  parts.where.push(sql<SqlBool>`lm.lifecycle_stage = 'active'`);
  for (const c of comparisons) addModelCondition(parts, db.dialect, c, datasets);
  if (datasets.length > 0 && !comparisons.some((c) => c.entity === 'metric')) {
    // Datasets without a metric filter still keep only models with metrics on those datasets.
    parts.where.push(sql<SqlBool>`exists (select 1 from logged_model_metrics dm where dm.model_id = lm.model_id and ${datasetMatch('dm', datasets)})`);
  }
  addModelOrder(parts, db.dialect, orderBy);

  const rows = await sql<{ model_id: string }>`
    select lm.model_id from logged_models lm ${parts.joinSql()}
    where ${parts.whereSql()}
    order by ${parts.orderSql()}
    limit ${query.maxResults + 1} offset ${offset}`.execute(db.kysely);
  const page = finishPage(rows.rows.map((row) => row.model_id), offset, query.maxResults, identity);
  return page.nextPageToken === undefined ? { modelIds: page.items } : { modelIds: page.items, nextPageToken: page.nextPageToken };
}

function offsetFor(pageToken: string | undefined, identity: Readonly<Record<string, unknown>>): number {
  if (pageToken === undefined || pageToken === '') return 0;
  const token = decodePageTokenObject(pageToken);
  for (const [field, expected] of Object.entries(identity)) {
    if (JSON.stringify(token[field] ?? null) !== JSON.stringify(expected)) {
      throw invalid(`Invalid page token: its ${field} does not match the request's ${field}`);
    }
  }
  return token.offset;
}

function datasetMatch(alias: string, datasets: readonly DatasetScope[]): RawBuilder<SqlBool> {
  const each = datasets.map((d) =>
    d.dataset_digest
      ? sql`(${col(alias, 'dataset_name')} = ${d.dataset_name} and ${col(alias, 'dataset_digest')} = ${d.dataset_digest})`
      : sql`${col(alias, 'dataset_name')} = ${d.dataset_name}`,
  );
  return sql<SqlBool>`(${sql.join(each, sql` or `)})`;
}

function addModelCondition(parts: QueryParts, dialect: DialectKind, c: Comparison, datasets: readonly DatasetScope[]): void {
  const f = parts.alias('f');
  switch (c.entity) {
    case 'attribute': {
      const spec = COLUMNS[c.key];
      if (spec === undefined) throw new Error(`unmapped logged model attribute ${c.key}`);
      const column = col('lm', spec.column);
      parts.where.push(spec.text ? textCondition(dialect, column, c.op, c.value) : numberCondition(dialect, column, c.op, c.value));
      return;
    }
    case 'metric': {
      // As MLflow's SQL store: a model matches when any metric point it logged (on the requested
      // datasets, when given) satisfies the comparison.
      const condition = numberCondition(dialect, col(f, 'metric_value'), c.op, c.value, col(f, 'is_nan'));
      const scoped = datasets.length > 0 ? sql` and ${datasetMatch(f, datasets)}` : sql``;
      parts.where.push(sql<SqlBool>`exists (select 1 from logged_model_metrics ${sql.id(f)} where ${col(f, 'model_id')} = lm.model_id and ${col(f, 'metric_name')} = ${c.key} and ${condition}${scoped})`);
      return;
    }
    case 'param':
    case 'tag': {
      const table = c.entity === 'param' ? 'logged_model_params' : 'logged_model_tags';
      const condition = textCondition(dialect, col(f, 'value'), c.op, c.value);
      parts.joins.push(sql`join ${sql.table(table)} ${sql.id(f)} on ${col(f, 'model_id')} = lm.model_id and ${col(f, 'key')} = ${c.key} and ${condition}`);
      return;
    }
    case 'dataset':
      throw invalid('Invalid entity type: dataset. Expected one of attributes, metrics, params, tags.');
  }
}

function addModelOrder(parts: QueryParts, dialect: DialectKind, orderBy: readonly LoggedModelOrderBy[]): void {
  for (const item of orderBy) {
    if (item.entity === 'attribute') {
      const spec = COLUMNS[item.key];
      if (spec === undefined) throw new Error(`unmapped logged model attribute ${item.key}`);
      const column = spec.text ? textSortKey(dialect, col('lm', spec.column)) : col('lm', spec.column);
      if (spec.nullable) parts.orderBy.push(...nullsLastOrder(column, item.ascending));
      else parts.orderBy.push(item.ascending ? sql`${column} asc` : sql`${column} desc`);
      continue;
    }
    // The latest point (by timestamp, then step) of that metric, on the named dataset if any.
    const m = parts.alias('m');
    const scoped = [
      item.datasetName === undefined ? sql`` : sql` and ${col(m, 'dataset_name')} = ${item.datasetName}`,
      item.datasetDigest === undefined ? sql`` : sql` and ${col(m, 'dataset_digest')} = ${item.datasetDigest}`,
    ];
    const latest = sql`(select case when ${col(m, 'is_nan')} = 1 then null else ${col(m, 'metric_value')} end
      from logged_model_metrics ${sql.id(m)}
      where ${col(m, 'model_id')} = lm.model_id and ${col(m, 'metric_name')} = ${item.key}${scoped[0]}${scoped[1]}
      order by ${col(m, 'metric_timestamp_ms')} desc, ${col(m, 'metric_step')} desc limit 1)`;
    parts.orderBy.push(...nullsLastOrder(latest, item.ascending));
  }
  if (!orderBy.some((item) => item.entity === 'attribute' && item.key === 'creation_timestamp')) parts.orderBy.push(sql`lm.creation_timestamp_ms desc`);
  parts.orderBy.push(sql`lm.model_id asc`);
}
