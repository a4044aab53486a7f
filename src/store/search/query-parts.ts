/** The pieces of one search query, collected clause by clause and then joined into SQL. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Operand } from './compare.js';

/** Joins, conditions and sort keys for one search; aliases are generated here, never taken from input. */
export class QueryParts {
  readonly joins: RawBuilder<unknown>[] = [];
  readonly where: RawBuilder<SqlBool>[] = [];
  readonly orderBy: Operand[] = [];
  /** Inner joins made by filters whose rows always hold a plain value, by `entity:key`, for ORDER BY to reuse. */
  readonly plainJoins = new Map<string, string>();
  private aliasCount = 0;

  /** A fresh table alias such as `f3`. */
  alias(prefix: string): string {
    this.aliasCount += 1;
    return `${prefix}${this.aliasCount}`;
  }

  /** `join ...` fragments, space separated (empty when none). */
  joinSql(): RawBuilder<unknown> {
    return this.joins.length === 0 ? sql`` : sql.join(this.joins, sql` `);
  }

  /** The conditions joined by AND (`1 = 1` when none). */
  whereSql(): RawBuilder<unknown> {
    return this.where.length === 0 ? sql`1 = 1` : sql.join(this.where, sql` and `);
  }

  orderSql(): RawBuilder<unknown> {
    return sql.join(this.orderBy, sql`, `);
  }
}

/** `alias.column` as an operand. */
export const col = (alias: string, column: string): Operand => sql.ref(`${alias}.${column}`);
