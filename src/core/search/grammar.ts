/**
 * What one search accepts: which entities, which attribute keys (with aliases), which comparators
 * and value types. Each search describes itself with a `SearchGrammar`; the checks and the
 * MLflow-style error messages live here once.
 */
import { invalid } from '../errors.js';
import { parseFilter, type Comparator, type Comparison, type Entity } from './filter.js';
import { parseOrderBy, pyList, rejectDuplicateOrderBy, type OrderBy } from './order-by.js';

export const NUMERIC_OPS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
export const STRING_OPS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
export const STRING_LIST_OPS: readonly Comparator[] = [...STRING_OPS, 'IN', 'NOT IN'];
export const KEY_VALUE_OPS: readonly Comparator[] = [...STRING_OPS, 'IS NULL', 'IS NOT NULL'];

/** The comparators and value type one field takes. */
export interface FieldRule {
  readonly kind: 'string' | 'number';
  readonly ops: readonly Comparator[];
}

/** An attribute a search knows; `canonical` is the name it stands for when the key is an alias. */
export interface AttributeRule extends FieldRule {
  readonly canonical?: string;
}

/** Everything a search accepts in its filter and ORDER BY. */
export interface SearchGrammar {
  /** Rules for metric/param/tag/dataset comparisons; an entity missing here is refused. */
  readonly entities: Partial<Record<Exclude<Entity, 'attribute'>, FieldRule>>;
  /** Filterable attributes by every accepted spelling. */
  readonly attributes: Readonly<Record<string, AttributeRule>>;
  /** Keys `dataset.<key>` may use (search_runs only). */
  readonly datasetKeys?: readonly string[];
  /** Entities ORDER BY may name besides attributes. */
  readonly orderEntities: readonly Exclude<Entity, 'attribute'>[];
  /** Orderable attributes by every accepted spelling, mapped to the canonical name. */
  readonly orderAttributes: Readonly<Record<string, string>>;
}

const ENTITY_NAMES: Readonly<Record<Entity, string>> = { metric: 'metric', param: 'parameter', tag: 'tag', attribute: 'attribute', dataset: 'dataset' };

/** Parse and check a filter against a grammar; attribute keys come back in canonical form. */
export function parseFilterFor(grammar: SearchGrammar, filter: string | undefined | null): Comparison[] {
  return parseFilter(filter).map((comparison) => checkComparison(grammar, comparison));
}

function checkComparison(grammar: SearchGrammar, comparison: Comparison): Comparison {
  if (comparison.entity === 'attribute') {
    const rule = grammar.attributes[comparison.key];
    if (rule === undefined) {
      throw invalid(`Invalid attribute key '${comparison.key}' specified. Valid keys are '${pyList(Object.keys(grammar.attributes))}'`);
    }
    checkAgainst(rule, comparison, `attribute ${comparison.key}`);
    return { ...comparison, key: rule.canonical ?? comparison.key };
  }
  const rule = grammar.entities[comparison.entity];
  if (rule === undefined) throw invalid(`Invalid entity type '${ENTITY_NAMES[comparison.entity]}'. Valid entity types are ${validEntities(grammar)}`);
  if (comparison.entity === 'dataset' && !(grammar.datasetKeys ?? []).includes(comparison.key)) {
    throw invalid(`Invalid dataset key '${comparison.key}' specified. Valid keys are '${pyList(grammar.datasetKeys ?? [])}'`);
  }
  checkAgainst(rule, comparison, ENTITY_NAMES[comparison.entity]);
  return comparison;
}

function validEntities(grammar: SearchGrammar): string {
  return pyList(['attribute', ...Object.keys(grammar.entities).map((entity) => ENTITY_NAMES[entity as Entity])]);
}

function checkAgainst(rule: FieldRule, comparison: Comparison, what: string): void {
  if (!rule.ops.includes(comparison.op)) {
    throw invalid(`Invalid comparator '${comparison.op}' not one of '${pyList(rule.ops)}'`);
  }
  const { op, value } = comparison;
  if (op === 'IN' || op === 'NOT IN' || op === 'IS NULL' || op === 'IS NOT NULL') return;
  if (rule.kind === 'number' && typeof value !== 'number') {
    throw invalid(`Expected numeric value type for ${what}. Found '${String(value)}'`);
  }
  if (rule.kind === 'string' && typeof value !== 'string') {
    throw invalid(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${String(value)}`);
  }
}

/** Parse and check ORDER BY items against a grammar; attribute keys come back in canonical form. */
export function parseOrderByFor(grammar: SearchGrammar, sources: readonly string[] | undefined | null): OrderBy[] {
  const items = (sources ?? []).map((source) => checkOrderBy(grammar, parseOrderBy(source)));
  rejectDuplicateOrderBy(items, sources ?? []);
  return items;
}

function checkOrderBy(grammar: SearchGrammar, item: OrderBy): OrderBy {
  if (item.entity === 'attribute') {
    const canonical = grammar.orderAttributes[item.key];
    if (canonical === undefined) {
      throw invalid(`Invalid order by key '${item.key}' specified. Valid keys are '${pyList(Object.keys(grammar.orderAttributes))}'`);
    }
    return { ...item, key: canonical };
  }
  if (!grammar.orderEntities.includes(item.entity)) {
    throw invalid(`Invalid order_by entity type '${ENTITY_NAMES[item.entity]}'. Valid entity types are ${pyList(['attribute', ...grammar.orderEntities])}`);
  }
  return item;
}
