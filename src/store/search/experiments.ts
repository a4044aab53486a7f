/** search_experiments: the filter, ORDER BY and page token turned into one SQL query over experiments. */
import { sql, type SqlBool } from 'kysely';
import { decodePageToken, parseExperimentsFilter, parseExperimentsOrderBy, type Comparison } from '../../core/search/index.js';
import { readableCondition, type ReadableIds } from '../readable.js';
import type { Db } from '../db.js';
import type { DialectKind } from '../dialect.js';
import { numberCondition, textCondition, textSortKey } from './compare.js';
import { checkMaxResults, finishPage } from './paging.js';
import { QueryParts, col } from './query-parts.js';
import { stagesOf, type ViewType } from './runs.js';

/** What search_experiments asks for. */
export interface SearchExperimentsQuery {
  readonly filter?: string | undefined;
  readonly viewType?: ViewType | undefined;
  readonly maxResults: number;
  readonly orderBy?: readonly string[] | undefined;
  readonly pageToken?: string | undefined;
  /** Only experiments the caller may read (per-resource permissions); all when absent. */
  readonly readable?: ReadableIds | undefined;
}

/** A page of experiment ids (as the wire's strings) and the token for the next page. */
export interface SearchExperimentsResult {
  readonly experimentIds: string[];
  readonly nextPageToken?: string;
}

const TEXT_COLUMNS = new Set(['name']);

/** Run the search and return one page of experiment ids. */
export async function searchExperimentIds(db: Db, query: SearchExperimentsQuery): Promise<SearchExperimentsResult> {
  checkMaxResults(query.maxResults);
  const comparisons = parseExperimentsFilter(query.filter);
  const orderBy = parseExperimentsOrderBy(query.orderBy);
  const offset = decodePageToken(query.pageToken);
  if (query.maxResults === 0) return { experimentIds: [] };

  const parts = new QueryParts();
  parts.where.push(sql<SqlBool>`e.lifecycle_stage in (${sql.join(stagesOf(query.viewType))})`);
  for (const comparison of comparisons) addExperimentCondition(parts, db.dialect, comparison);
  if (query.readable) parts.where.push(readableCondition(sql`e.experiment_id`, query.readable, true));
  for (const item of orderBy) {
    const column = TEXT_COLUMNS.has(item.key) ? textSortKey(db.dialect, col('e', item.key)) : col('e', item.key);
    parts.orderBy.push(item.ascending ? sql`${column} asc` : sql`${column} desc`);
  }
  if (orderBy.length === 0) parts.orderBy.push(sql`e.creation_time desc`);
  if (!orderBy.some((item) => item.key === 'experiment_id')) parts.orderBy.push(sql`e.experiment_id asc`);

  const rows = await sql<{ experiment_id: number }>`
    select e.experiment_id from experiments e ${parts.joinSql()}
    where ${parts.whereSql()}
    order by ${parts.orderSql()}
    limit ${query.maxResults + 1} offset ${offset}`.execute(db.kysely);
  const page = finishPage(rows.rows.map((row) => String(row.experiment_id)), offset, query.maxResults);
  return page.nextPageToken === undefined ? { experimentIds: page.items } : { experimentIds: page.items, nextPageToken: page.nextPageToken };
}

function addExperimentCondition(parts: QueryParts, dialect: DialectKind, c: Comparison): void {
  if (c.entity === 'attribute') {
    const column = col('e', c.key);
    parts.where.push(TEXT_COLUMNS.has(c.key) ? textCondition(dialect, column, c.op, c.value) : numberCondition(dialect, column, c.op, c.value));
    return;
  }
  const t = parts.alias('t');
  if (c.op === 'IS NULL') {
    parts.where.push(sql<SqlBool>`not exists (select 1 from experiment_tags ${sql.id(t)} where ${col(t, 'experiment_id')} = e.experiment_id and ${col(t, 'key')} = ${c.key})`);
    return;
  }
  const condition = c.op === 'IS NOT NULL' ? sql`1 = 1` : textCondition(dialect, col(t, 'value'), c.op, c.value);
  parts.joins.push(sql`join experiment_tags ${sql.id(t)} on ${col(t, 'experiment_id')} = e.experiment_id and ${col(t, 'key')} = ${c.key} and ${condition}`);
}
