/** search_traces: the filter, ORDER BY and page token turned into one SQL query over trace_info. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { decodePageToken } from '../../core/search/index.js';
import { SOURCE_RUN_METADATA, parseTracesFilter, parseTracesOrderBy, type TraceComparison, type TraceOrderBy } from '../../core/search/traces.js';
import type { Db } from '../db.js';
import type { DialectKind } from '../dialect.js';
import { nullsLastOrder, numberCondition, textCondition, textSortKey, type Operand } from './compare.js';
import { checkMaxResults, experimentIdNumbers, finishPage } from './paging.js';
import { QueryParts, col } from './query-parts.js';

/** What search_traces asks for. */
export interface SearchTracesQuery {
  readonly experimentIds: readonly (string | number)[];
  readonly filter?: string | undefined;
  readonly maxResults: number;
  readonly orderBy?: readonly string[] | undefined;
  readonly pageToken?: string | undefined;
}

/** A page of trace ids, in order, and the token for the next page. */
export interface SearchTracesResult {
  readonly traceIds: string[];
  readonly nextPageToken?: string;
}

/** The columns behind each attribute; end time is derived, as MLflow's hybrid property is. */
function attributeColumn(key: string): { column: Operand; text: boolean } {
  switch (key) {
    case 'request_id':
    case 'client_request_id':
    case 'status':
      return { column: col('t', key), text: true };
    case 'timestamp_ms':
    case 'execution_time_ms':
    case 'experiment_id':
      return { column: col('t', key), text: false };
    case 'end_time_ms':
      return { column: sql`(t.timestamp_ms + t.execution_time_ms)`, text: false };
    default:
      throw new Error(`unmapped trace attribute ${key}`);
  }
}

const TABLES = { tag: 'trace_tags', metadata: 'trace_request_metadata' } as const;

/** Run the search and return one page of trace ids. */
export async function searchTraceIds(db: Db, query: SearchTracesQuery): Promise<SearchTracesResult> {
  checkMaxResults(query.maxResults);
  const comparisons = parseTracesFilter(query.filter);
  const orderBy = parseTracesOrderBy(query.orderBy);
  const offset = decodePageToken(query.pageToken);
  const experimentIds = experimentIdNumbers(query.experimentIds);
  if (experimentIds.length === 0 || query.maxResults === 0) return { traceIds: [] };

  const parts = new QueryParts();
  parts.where.push(sql<SqlBool>`t.experiment_id in (${sql.join(experimentIds)})`);
  for (const c of comparisons) parts.where.push(traceCondition(parts, db.dialect, c));
  addTraceOrder(parts, db.dialect, orderBy);

  const rows = await sql<{ request_id: string }>`
    select t.request_id from trace_info t
    where ${parts.whereSql()}
    order by ${parts.orderSql()}
    limit ${query.maxResults + 1} offset ${offset}`.execute(db.kysely);
  const page = finishPage(rows.rows.map((row) => row.request_id), offset, query.maxResults);
  return page.nextPageToken === undefined ? { traceIds: page.items } : { traceIds: page.items, nextPageToken: page.nextPageToken };
}

function traceCondition(parts: QueryParts, dialect: DialectKind, c: TraceComparison): RawBuilder<SqlBool> {
  if (c.entity === 'attribute' && c.key === 'run_id') return runCondition(parts, dialect, c);
  if (c.entity === 'attribute') {
    const { column, text } = attributeColumn(c.key);
    return text ? textCondition(dialect, column, c.op, c.value) : numberCondition(dialect, column, c.op, c.value);
  }
  return keyValueCondition(parts, dialect, TABLES[c.entity], c);
}

/** A tag or metadata comparison: a trace without the key matches only IS NULL, as in MLflow. */
function keyValueCondition(parts: QueryParts, dialect: DialectKind, table: string, c: TraceComparison): RawBuilder<SqlBool> {
  const f = parts.alias('f');
  const matching = (condition: RawBuilder<unknown>) =>
    sql<SqlBool>`exists (select 1 from ${sql.table(table)} ${sql.id(f)} where ${col(f, 'request_id')} = t.request_id and ${col(f, 'key')} = ${c.key}${condition})`;
  if (c.op === 'IS NULL') return sql<SqlBool>`not ${matching(sql``)}`;
  if (c.op === 'IS NOT NULL') return matching(sql``);
  return matching(sql` and ${textCondition(dialect, col(f, 'value'), c.op, c.value)}`);
}

/**
 * `run_id`: the run the trace was made in (metadata mlflow.sourceRun). For `=` and `IN`, a trace
 * linked to the run with link-to-run matches as well, as in MLflow's SQL store.
 */
function runCondition(parts: QueryParts, dialect: DialectKind, c: TraceComparison): RawBuilder<SqlBool> {
  const source = keyValueCondition(parts, dialect, TABLES.metadata, { ...c, entity: 'metadata', key: SOURCE_RUN_METADATA });
  if (c.op !== '=' && c.op !== 'IN') return source;
  const l = parts.alias('l');
  const linked = sql<SqlBool>`exists (select 1 from trace_run_links ${sql.id(l)} where ${col(l, 'request_id')} = t.request_id and ${textCondition(dialect, col(l, 'run_id'), c.op, c.value)})`;
  return sql<SqlBool>`(${source} or ${linked})`;
}

function addTraceOrder(parts: QueryParts, dialect: DialectKind, orderBy: readonly TraceOrderBy[]): void {
  for (const item of orderBy) {
    if (item.entity === 'attribute') {
      const { column, text } = attributeColumn(item.key);
      parts.orderBy.push(...nullsLastOrder(text ? textSortKey(dialect, column) : column, item.ascending));
      continue;
    }
    const v = parts.alias('v');
    const value = sql`(select ${col(v, 'value')} from ${sql.table(TABLES[item.entity])} ${sql.id(v)} where ${col(v, 'request_id')} = t.request_id and ${col(v, 'key')} = ${item.key})`;
    parts.orderBy.push(...nullsLastOrder(textSortKey(dialect, value), item.ascending));
  }
  // MLflow's tie-breakers: newest first, then by id.
  const named = (key: string) => orderBy.some((item) => item.entity === 'attribute' && item.key === key);
  if (!named('timestamp_ms')) parts.orderBy.push(sql`t.timestamp_ms desc`);
  if (!named('request_id')) parts.orderBy.push(sql`${textSortKey(dialect, col('t', 'request_id'))} asc`);
}

