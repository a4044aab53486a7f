/** search_runs: the filter, ORDER BY and page token turned into one SQL query over runs. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { decodePageToken, parseRunsFilter, parseRunsOrderBy, type Comparison, type OrderBy } from '../../core/search/index.js';
import type { Db } from '../db.js';
import type { DialectKind } from '../dialect.js';
import { nullsLastOrder, numberCondition, textCondition, textSortKey } from './compare.js';
import { checkMaxResults, experimentIdNumbers, finishPage } from './paging.js';
import { QueryParts, col } from './query-parts.js';

/** Which lifecycle stages a search includes. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** What search_runs asks for. */
export interface SearchRunsQuery {
  readonly experimentIds: readonly (string | number)[];
  readonly filter?: string | undefined;
  readonly runViewType?: ViewType | undefined;
  readonly maxResults: number;
  readonly orderBy?: readonly string[] | undefined;
  readonly pageToken?: string | undefined;
}

/** A page of run ids in search order, and the token for the next page. */
export interface SearchRunsResult {
  readonly runIds: string[];
  readonly nextPageToken?: string;
}

/** The lifecycle stages a view type includes. */
export function stagesOf(viewType: ViewType | undefined): string[] {
  if (viewType === 'DELETED_ONLY') return ['deleted'];
  if (viewType === 'ALL') return ['active', 'deleted'];
  return ['active'];
}

const RUN_COLUMNS: Readonly<Record<string, { column: string; text: boolean; nullable: boolean }>> = {
  run_id: { column: 'run_uuid', text: true, nullable: false },
  run_name: { column: 'name', text: true, nullable: false },
  user_id: { column: 'user_id', text: true, nullable: false },
  status: { column: 'status', text: true, nullable: false },
  artifact_uri: { column: 'artifact_uri', text: true, nullable: false },
  start_time: { column: 'start_time', text: false, nullable: false },
  end_time: { column: 'end_time', text: false, nullable: true },
};

const DATASET_CONTEXT_TAG = 'mlflow.data.context';

/**
 * Run the search and return one page of run ids.
 * @example await searchRunIds(db, { experimentIds: ['1'], filter: 'metrics.acc > 0.9', maxResults: 100, orderBy: ['metrics.acc DESC'] })
 */
export async function searchRunIds(db: Db, query: SearchRunsQuery): Promise<SearchRunsResult> {
  checkMaxResults(query.maxResults);
  const comparisons = parseRunsFilter(query.filter);
  const orderBy = parseRunsOrderBy(query.orderBy);
  const offset = decodePageToken(query.pageToken);
  const experimentIds = experimentIdNumbers(query.experimentIds);
  if (experimentIds.length === 0 || query.maxResults === 0) return { runIds: [] };

  const parts = new QueryParts();
  parts.where.push(sql<SqlBool>`r.experiment_id in (${sql.join(experimentIds)})`);
  parts.where.push(sql<SqlBool>`r.lifecycle_stage in (${sql.join(stagesOf(query.runViewType))})`);
  for (const comparison of comparisons) addRunCondition(parts, db.dialect, comparison);
  addRunOrder(parts, db.dialect, orderBy);

  const rows = await sql<{ run_uuid: string }>`
    select r.run_uuid from runs r ${parts.joinSql()}
    where ${parts.whereSql()}
    order by ${parts.orderSql()}
    limit ${query.maxResults + 1} offset ${offset}`.execute(db.kysely);
  const page = finishPage(rows.rows.map((row) => row.run_uuid), offset, query.maxResults);
  return page.nextPageToken === undefined ? { runIds: page.items } : { runIds: page.items, nextPageToken: page.nextPageToken };
}

function addRunCondition(parts: QueryParts, dialect: DialectKind, c: Comparison): void {
  switch (c.entity) {
    case 'attribute': {
      const spec = RUN_COLUMNS[c.key];
      if (spec === undefined) throw new Error(`unmapped run attribute ${c.key}`);
      const column = col('r', spec.column);
      parts.where.push(spec.text ? textCondition(dialect, column, c.op, c.value) : numberCondition(dialect, column, c.op, c.value));
      return;
    }
    case 'metric': {
      // One latest_metrics row per (run, key), so an inner join filters without duplicating runs
      // and lets the planner start from either side.
      const f = parts.alias('f');
      const condition = numberCondition(dialect, col(f, 'value'), c.op, c.value, col(f, 'is_nan'));
      parts.joins.push(sql`join latest_metrics ${sql.id(f)} on ${col(f, 'run_uuid')} = r.run_uuid and ${col(f, 'key')} = ${c.key} and ${condition}`);
      // Every comparison but != leaves out NaN points, so this join's rows are plain numbers.
      if (c.op !== '!=') rememberPlainJoin(parts, `metric:${c.key}`, f);
      return;
    }
    case 'param':
    case 'tag':
      addKeyValueCondition(parts, dialect, c, c.entity === 'param' ? 'params' : 'tags');
      return;
    case 'dataset':
      parts.where.push(datasetCondition(dialect, c));
      return;
  }
}

/** MLflow's SQL store semantics: `!=`/LIKE need the key to exist; IS NULL means it does not. */
function addKeyValueCondition(parts: QueryParts, dialect: DialectKind, c: Comparison, table: 'params' | 'tags'): void {
  const f = parts.alias('f');
  if (c.op === 'IS NULL') {
    parts.where.push(sql<SqlBool>`not exists (select 1 from ${sql.table(table)} ${sql.id(f)} where ${col(f, 'run_uuid')} = r.run_uuid and ${col(f, 'key')} = ${c.key})`);
    return;
  }
  const condition = c.op === 'IS NOT NULL' ? sql`1 = 1` : textCondition(dialect, col(f, 'value'), c.op, c.value);
  parts.joins.push(sql`join ${sql.table(table)} ${sql.id(f)} on ${col(f, 'run_uuid')} = r.run_uuid and ${col(f, 'key')} = ${c.key} and ${condition}`);
  rememberPlainJoin(parts, `${c.entity}:${c.key}`, f);
}

function rememberPlainJoin(parts: QueryParts, field: string, alias: string): void {
  if (!parts.plainJoins.has(field)) parts.plainJoins.set(field, alias);
}

function datasetCondition(dialect: DialectKind, c: Comparison): RawBuilder<SqlBool> {
  const inputsOfRun = sql`from inputs i join datasets d on d.dataset_uuid = i.source_id
    where i.destination_type = 'RUN' and i.destination_id = r.run_uuid and i.source_type = 'DATASET'`;
  if (c.key === 'context') {
    const condition = textCondition(dialect, sql.ref('t.value'), c.op, c.value);
    return sql<SqlBool>`exists (select 1 ${inputsOfRun} and exists (select 1 from input_tags t
      where t.input_uuid = i.input_uuid and t.name = ${DATASET_CONTEXT_TAG} and ${condition}))`;
  }
  const condition = textCondition(dialect, col('d', c.key), c.op, c.value);
  return sql<SqlBool>`exists (select 1 ${inputsOfRun} and ${condition})`;
}

function addRunOrder(parts: QueryParts, dialect: DialectKind, orderBy: readonly OrderBy[]): void {
  for (const item of orderBy) {
    if (item.entity === 'attribute') {
      const spec = RUN_COLUMNS[item.key];
      if (spec === undefined) throw new Error(`unmapped run attribute ${item.key}`);
      const column = spec.text ? textSortKey(dialect, col('r', spec.column)) : col('r', spec.column);
      if (spec.nullable) parts.orderBy.push(...nullsLastOrder(column, item.ascending));
      else parts.orderBy.push(item.ascending ? sql`${column} asc` : sql`${column} desc`);
      continue;
    }
    const filterJoin = parts.plainJoins.get(`${item.entity}:${item.key}`);
    if (filterJoin !== undefined) {
      // The filter already keeps only runs with a plain value for this key, so nulls and NaN
      // cannot occur: sorting by the bare column lets the engine walk the (key, value) index
      // and stop after one page instead of sorting every matching run.
      const column = item.entity === 'metric' ? col(filterJoin, 'value') : textSortKey(dialect, col(filterJoin, 'value'));
      parts.orderBy.push(item.ascending ? sql`${column} asc` : sql`${column} desc`);
      continue;
    }
    const o = parts.alias('o');
    const table = item.entity === 'metric' ? 'latest_metrics' : item.entity === 'param' ? 'params' : 'tags';
    parts.joins.push(sql`left join ${sql.table(table)} ${sql.id(o)} on ${col(o, 'run_uuid')} = r.run_uuid and ${col(o, 'key')} = ${item.key}`);
    if (item.entity === 'metric') parts.orderBy.push(...nullsLastOrder(col(o, 'value'), item.ascending, col(o, 'is_nan')));
    else parts.orderBy.push(...nullsLastOrder(textSortKey(dialect, col(o, 'value')), item.ascending));
  }
  // MLflow's tie-breakers: newest first, then run id, so pages never overlap or skip.
  const named = new Set(orderBy.filter((item) => item.entity === 'attribute').map((item) => item.key));
  if (!named.has('start_time')) parts.orderBy.push(sql`r.start_time desc`);
  if (!named.has('run_id')) parts.orderBy.push(sql`r.run_uuid asc`);
}
