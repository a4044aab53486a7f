/** Comparisons from a parsed filter, rendered as SQL conditions for either dialect. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { invalid } from '../../core/errors.js';
import type { Comparator, FilterValue } from '../../core/search/index.js';
import type { DialectKind } from '../dialect.js';
import { toGlobPattern, toLikePattern } from './like.js';

/** A column or expression to compare; raw so aliases chosen at run time can be used. */
export type Operand = RawBuilder<unknown>;

/** `column <op> value` for a text column. */
export function textCondition(dialect: DialectKind, column: Operand, op: Comparator, value: FilterValue): RawBuilder<SqlBool> {
  if (op === 'IN' || op === 'NOT IN') {
    if (!Array.isArray(value) || value.length === 0) throw invalid(`${op} needs a non-empty list of quoted strings`);
    const list = sql.join(value.map((item) => sql`${item}`));
    return op === 'IN' ? sql<SqlBool>`${column} in (${list})` : sql<SqlBool>`${column} not in (${list})`;
  }
  if (op === 'IS NULL') return sql<SqlBool>`${column} is null`;
  if (op === 'IS NOT NULL') return sql<SqlBool>`${column} is not null`;
  if (typeof value !== 'string') throw invalid(`Expected a quoted string value, got ${String(value)}`);
  switch (op) {
    case '=':
      return sql<SqlBool>`${column} = ${value}`;
    case '!=':
      return sql<SqlBool>`${column} <> ${value}`;
    case 'LIKE':
      return dialect === 'sqlite' ? sql<SqlBool>`${column} glob ${toGlobPattern(value)}` : sql<SqlBool>`${column} like ${toLikePattern(value)}`;
    case 'ILIKE':
      return dialect === 'sqlite'
        ? sql<SqlBool>`${column} like ${toLikePattern(value)} escape '\\'`
        : sql<SqlBool>`${column} ilike ${toLikePattern(value)}`;
    default:
      throw invalid(`Invalid comparator '${op}' for a string value`);
  }
}

/**
 * `column <op> value` for a numeric column. With `isNan` (metrics store NaN as 0 plus a flag) a
 * NaN point compares as Python does: unequal to everything, and neither above nor below anything.
 */
export function numberCondition(dialect: DialectKind, column: Operand, op: Comparator, value: FilterValue, isNan?: Operand): RawBuilder<SqlBool> {
  if (typeof value !== 'number') throw invalid(`Expected a numeric value, got ${String(value)}`);
  // pg infers a parameter's type from the column; a fraction against a bigint column must be cast.
  const bound = dialect === 'postgres' && !Number.isInteger(value) ? sql`cast(${value} as double precision)` : sql`${value}`;
  const symbol = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }[op as string];
  if (symbol === undefined) throw invalid(`Invalid comparator '${op}' for a numeric value`);
  const compared = sql<SqlBool>`${column} ${sql.raw(symbol)} ${bound}`;
  if (isNan === undefined) return compared;
  return op === '!=' ? sql<SqlBool>`(${isNan} = 1 or ${compared})` : sql<SqlBool>`(${isNan} = 0 and ${compared})`;
}

/** A text sort key that orders by code point on both engines (PostgreSQL's default collation follows the locale). */
export function textSortKey(dialect: DialectKind, column: Operand): Operand {
  return dialect === 'postgres' ? sql`${column} collate "C"` : column;
}

/** ORDER BY pieces: nulls (and, with `isNan`, NaN just before them) last in either direction, as MLflow sorts. */
export function nullsLastOrder(column: Operand, ascending: boolean, isNan?: Operand): Operand[] {
  const rank = isNan === undefined
    ? sql`case when ${column} is null then 1 else 0 end`
    : sql`case when ${isNan} = 1 then 1 when ${column} is null then 2 else 0 end`;
  return [rank, ascending ? sql`${column} asc` : sql`${column} desc`];
}
