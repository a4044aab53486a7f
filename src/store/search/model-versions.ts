/** search_model_versions: filter, ORDER BY and page token as one SQL query over model versions. */
import { sql, type SqlBool } from 'kysely';
import { IS_PROMPT_TAG, decodePageToken, parseModelVersionsFilter, parseModelVersionsOrderBy, scopePrompts } from '../../core/search/index.js';
import { readableCondition, type ReadableIds } from '../readable.js';
import type { Db } from '../db.js';
import { numberCondition, textCondition, textSortKey } from './compare.js';
import { checkMaxResults, finishPage } from './paging.js';
import { QueryParts, col } from './query-parts.js';

/** What search_model_versions asks for. */
export interface SearchModelVersionsQuery {
  readonly filter?: string | undefined;
  readonly maxResults: number;
  readonly orderBy?: readonly string[] | undefined;
  readonly pageToken?: string | undefined;
  /** Only models the caller may read (per-resource permissions), by name; all when absent. */
  readonly readable?: ReadableIds | undefined;
}

/** The key of one model version. */
export interface ModelVersionKey {
  readonly name: string;
  readonly version: number;
}

/** A page of model version keys and the token for the next page. */
export interface SearchModelVersionsResult {
  readonly versions: ModelVersionKey[];
  readonly nextPageToken?: string;
}

const FILTER_COLUMNS: Readonly<Record<string, { column: string; text: boolean }>> = {
  name: { column: 'name', text: true },
  version_number: { column: 'version', text: false },
  run_id: { column: 'run_id', text: true },
  source_path: { column: 'source', text: true },
};

const ORDER_COLUMNS: Readonly<Record<string, string>> = {
  name: 'name',
  version_number: 'version',
  creation_timestamp: 'creation_time',
  last_updated_timestamp: 'last_updated_time',
};

/** Run the search and return one page of (name, version) keys; deleted versions never appear. */
export async function searchModelVersionKeys(db: Db, query: SearchModelVersionsQuery): Promise<SearchModelVersionsResult> {
  checkMaxResults(query.maxResults);
  const scope = scopePrompts(parseModelVersionsFilter(query.filter));
  const orderBy = parseModelVersionsOrderBy(query.orderBy);
  const offset = decodePageToken(query.pageToken);
  if (query.maxResults === 0) return { versions: [] };

  const parts = new QueryParts();
  parts.where.push(sql<SqlBool>`v.deleted = 0`);
  if (query.readable) parts.where.push(readableCondition(sql`v.name`, query.readable));
  for (const c of scope.comparisons) {
    if (c.entity === 'attribute') {
      const spec = FILTER_COLUMNS[c.key];
      if (spec === undefined) throw new Error(`unmapped model version attribute ${c.key}`);
      const column = col('v', spec.column);
      parts.where.push(spec.text ? textCondition(db.dialect, column, c.op, c.value) : numberCondition(db.dialect, column, c.op, c.value));
      continue;
    }
    const t = parts.alias('t');
    const condition = textCondition(db.dialect, col(t, 'value'), c.op, c.value);
    parts.joins.push(sql`join model_version_tags ${sql.id(t)} on ${col(t, 'name')} = v.name and ${col(t, 'version')} = v.version and ${col(t, 'key')} = ${c.key} and ${condition}`);
  }
  if (!scope.promptsWanted) {
    // A prompt is marked on its registered model; MLflow also marks each prompt version.
    parts.where.push(sql<SqlBool>`not exists (select 1 from registered_model_tags p where p.name = v.name and p.key = ${IS_PROMPT_TAG} and p.value = 'true')`);
    parts.where.push(sql<SqlBool>`not exists (select 1 from model_version_tags p where p.name = v.name and p.key = ${IS_PROMPT_TAG} and p.value = 'true')`);
  }
  for (const item of orderBy) {
    const column = ORDER_COLUMNS[item.key] ?? 'name';
    const key = column === 'name' ? textSortKey(db.dialect, col('v', column)) : col('v', column);
    parts.orderBy.push(item.ascending ? sql`${key} asc` : sql`${key} desc`);
  }
  if (orderBy.length === 0) parts.orderBy.push(sql`v.last_updated_time desc`);
  if (!orderBy.some((item) => item.key === 'name')) parts.orderBy.push(sql`${textSortKey(db.dialect, col('v', 'name'))} asc`);
  if (!orderBy.some((item) => item.key === 'version_number')) parts.orderBy.push(sql`v.version desc`);

  const rows = await sql<{ name: string; version: number }>`
    select v.name, v.version from model_versions v ${parts.joinSql()}
    where ${parts.whereSql()}
    order by ${parts.orderSql()}
    limit ${query.maxResults + 1} offset ${offset}`.execute(db.kysely);
  const page = finishPage(rows.rows.map((row) => ({ name: row.name, version: Number(row.version) })), offset, query.maxResults);
  return page.nextPageToken === undefined ? { versions: page.items } : { versions: page.items, nextPageToken: page.nextPageToken };
}
