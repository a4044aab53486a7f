/**
 * Search filters from per-resource permissions: the ids of one kind a caller may read, as a SQL
 * condition every search query can add, so page sizes and page tokens stay right.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Which ids of a kind a caller may read: all, only these, or all but these (the auth domain decides). */
export type ReadableIds = { readonly all: true } | { readonly only: readonly string[] } | { readonly except: readonly string[] };

/** A SQL condition that keeps the rows whose `column` a search filter lets through (experiment ids are numbers). */
export function readableCondition(column: RawBuilder<unknown>, readable: ReadableIds, numeric = false): RawBuilder<SqlBool> {
  if ('all' in readable) return sql<SqlBool>`1 = 1`;
  // An id that cannot be an experiment's matches no row, so it can be left out of the list.
  const usable = (ids: readonly string[]) => (numeric ? ids.filter((id) => /^\d{1,15}$/.test(id)).map(Number) : [...ids]);
  if ('only' in readable) {
    const ids = usable(readable.only);
    return ids.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${column} in (${sql.join(ids)})`;
  }
  const ids = usable(readable.except);
  return ids.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${column} not in (${sql.join(ids)})`;
}
