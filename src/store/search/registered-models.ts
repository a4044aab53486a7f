/** search_registered_models: filter, ORDER BY and page token as one SQL query over registered models. */
import { sql, type SqlBool } from 'kysely';
import { IS_PROMPT_TAG, decodePageToken, parseRegisteredModelsFilter, parseRegisteredModelsOrderBy, scopePrompts } from '../../core/search/index.js';
import { readableCondition, type ReadableIds } from '../readable.js';
import type { Db } from '../db.js';
import { textCondition, textSortKey } from './compare.js';
import { checkMaxResults, finishPage } from './paging.js';
import { QueryParts, col } from './query-parts.js';

/** What search_registered_models asks for. */
export interface SearchRegisteredModelsQuery {
  readonly filter?: string | undefined;
  readonly maxResults: number;
  readonly orderBy?: readonly string[] | undefined;
  readonly pageToken?: string | undefined;
  /** Only models the caller may read (per-resource permissions), by name; all when absent. */
  readonly readable?: ReadableIds | undefined;
}

/** A page of registered model names and the token for the next page. */
export interface SearchRegisteredModelsResult {
  readonly names: string[];
  readonly nextPageToken?: string;
}

const ORDER_COLUMNS: Readonly<Record<string, string>> = {
  name: 'name',
  creation_timestamp: 'creation_time',
  last_updated_timestamp: 'last_updated_time',
};

/** Run the search and return one page of registered model names. */
export async function searchRegisteredModelNames(db: Db, query: SearchRegisteredModelsQuery): Promise<SearchRegisteredModelsResult> {
  checkMaxResults(query.maxResults);
  const scope = scopePrompts(parseRegisteredModelsFilter(query.filter));
  const orderBy = parseRegisteredModelsOrderBy(query.orderBy);
  const offset = decodePageToken(query.pageToken);
  if (query.maxResults === 0) return { names: [] };

  const parts = new QueryParts();
  if (query.readable) parts.where.push(readableCondition(sql`m.name`, query.readable));
  for (const c of scope.comparisons) {
    if (c.entity === 'attribute') {
      parts.where.push(textCondition(db.dialect, col('m', 'name'), c.op, c.value));
      continue;
    }
    const t = parts.alias('t');
    const condition = textCondition(db.dialect, col(t, 'value'), c.op, c.value);
    parts.joins.push(sql`join registered_model_tags ${sql.id(t)} on ${col(t, 'name')} = m.name and ${col(t, 'key')} = ${c.key} and ${condition}`);
  }
  if (!scope.promptsWanted) {
    parts.where.push(sql<SqlBool>`not exists (select 1 from registered_model_tags p where p.name = m.name and p.key = ${IS_PROMPT_TAG} and p.value = 'true')`);
  }
  for (const item of orderBy) {
    const column = ORDER_COLUMNS[item.key] ?? 'name';
    const key = column === 'name' ? textSortKey(db.dialect, col('m', column)) : col('m', column);
    parts.orderBy.push(item.ascending ? sql`${key} asc` : sql`${key} desc`);
  }
  if (!orderBy.some((item) => item.key === 'name')) parts.orderBy.push(sql`${textSortKey(db.dialect, col('m', 'name'))} asc`);

  const rows = await sql<{ name: string }>`
    select m.name from registered_models m ${parts.joinSql()}
    where ${parts.whereSql()}
    order by ${parts.orderSql()}
    limit ${query.maxResults + 1} offset ${offset}`.execute(db.kysely);
  const page = finishPage(rows.rows.map((row) => row.name), offset, query.maxResults);
  return page.nextPageToken === undefined ? { names: page.items } : { names: page.items, nextPageToken: page.nextPageToken };
}
