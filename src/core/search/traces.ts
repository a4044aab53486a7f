/**
 * search_traces: filters over trace attributes, tags and request metadata, and their ORDER BY
 * (MLflow's SearchTraceUtils). Span-content and assessment filters need the span data, which
 * cairn keeps as files in the artifact store, so they are refused with a clear message.
 */
import { CairnError, invalid } from '../errors.js';
import { parseFilter, type Comparator, type FilterValue } from './filter.js';
import { KEY_VALUE_OPS, NUMERIC_OPS, STRING_LIST_OPS, STRING_OPS, type FieldRule } from './grammar.js';
import { parseOrderBy, pyList, rejectDuplicateOrderBy } from './order-by.js';
import { tokenize } from './tokens.js';

/** What a trace comparison is about: a column of the trace, one of its tags, or one metadata entry. */
export type TraceEntity = 'attribute' | 'tag' | 'metadata';

/** Trace attributes in canonical form; `run_id` also matches traces linked to the run. */
export type TraceAttribute = 'request_id' | 'client_request_id' | 'status' | 'timestamp_ms' | 'execution_time_ms' | 'end_time_ms' | 'experiment_id' | 'run_id';

/** One checked comparison of a trace filter. */
export interface TraceComparison {
  readonly entity: TraceEntity;
  readonly key: string;
  readonly op: Comparator;
  readonly value: FilterValue;
}

/** One checked ORDER BY item of a trace search. */
export interface TraceOrderBy {
  readonly entity: TraceEntity;
  readonly key: string;
  readonly ascending: boolean;
}

/** The tag `name` stands for, and the metadata key a trace's source run is kept under. */
export const TRACE_NAME_TAG = 'mlflow.traceName';
export const LINKED_PROMPTS_TAG = 'mlflow.linkedPrompts';
export const SOURCE_RUN_METADATA = 'mlflow.sourceRun';

type Target = { entity: TraceEntity; key: string };

const text: FieldRule = { kind: 'string', ops: STRING_LIST_OPS };
const number: FieldRule = { kind: 'number', ops: NUMERIC_OPS };
const keyValue: FieldRule = { kind: 'string', ops: KEY_VALUE_OPS };

// Filterable attributes by every spelling MLflow accepts, with what each one means.
const FILTER_ATTRIBUTES: Readonly<Record<string, { target: Target; rule: FieldRule }>> = {
  request_id: { target: { entity: 'attribute', key: 'request_id' }, rule: text },
  trace_id: { target: { entity: 'attribute', key: 'request_id' }, rule: text },
  client_request_id: { target: { entity: 'attribute', key: 'client_request_id' }, rule: text },
  status: { target: { entity: 'attribute', key: 'status' }, rule: text },
  state: { target: { entity: 'attribute', key: 'status' }, rule: text },
  timestamp: { target: { entity: 'attribute', key: 'timestamp_ms' }, rule: number },
  timestamp_ms: { target: { entity: 'attribute', key: 'timestamp_ms' }, rule: number },
  execution_time: { target: { entity: 'attribute', key: 'execution_time_ms' }, rule: number },
  execution_time_ms: { target: { entity: 'attribute', key: 'execution_time_ms' }, rule: number },
  end_time: { target: { entity: 'attribute', key: 'end_time_ms' }, rule: number },
  end_time_ms: { target: { entity: 'attribute', key: 'end_time_ms' }, rule: number },
  run_id: { target: { entity: 'attribute', key: 'run_id' }, rule: text },
  name: { target: { entity: 'tag', key: TRACE_NAME_TAG }, rule: text },
  prompt: { target: { entity: 'tag', key: LINKED_PROMPTS_TAG }, rule: { kind: 'string', ops: STRING_OPS } },
};

const ORDER_ATTRIBUTES: Readonly<Record<string, Target>> = {
  experiment_id: { entity: 'attribute', key: 'experiment_id' },
  timestamp: { entity: 'attribute', key: 'timestamp_ms' },
  timestamp_ms: { entity: 'attribute', key: 'timestamp_ms' },
  execution_time: { entity: 'attribute', key: 'execution_time_ms' },
  execution_time_ms: { entity: 'attribute', key: 'execution_time_ms' },
  end_time: { entity: 'attribute', key: 'end_time_ms' },
  end_time_ms: { entity: 'attribute', key: 'end_time_ms' },
  status: { entity: 'attribute', key: 'status' },
  request_id: { entity: 'attribute', key: 'request_id' },
  name: { entity: 'tag', key: TRACE_NAME_TAG },
  run_id: { entity: 'metadata', key: SOURCE_RUN_METADATA },
};

// The prefixes of search_traces, as the shared grammar's prefixes. Each is no longer than the one
// it replaces and is padded with spaces in front, which the tokenizer skips, so positions in error
// messages stay right. `param` stands for request metadata, which traces have instead of params.
const PREFIXES: Readonly<Record<string, string>> = {
  attribute: 'attribute',
  attributes: 'attributes',
  trace: 'attr',
  tag: 'tag',
  tags: 'tags',
  metadata: 'param',
  request_metadata: 'param',
};

const UNSUPPORTED_PREFIXES = new Set(['span', 'feedback', 'expectation', 'issue', 'assessment', 'assessments']);
const VALID_PREFIXES = ['attribute', 'trace', 'tag', 'request_metadata', 'metadata'];

/**
 * Parse and check a search_traces filter.
 * @example parseTracesFilter("name = 'chat' AND metadata.`mlflow.sourceRun` = 'abc' AND timestamp_ms > 0")
 */
export function parseTracesFilter(filter: string | undefined | null): TraceComparison[] {
  if (filter === undefined || filter === null || filter.trim() === '') return [];
  const rewritten = rewritePrefixes(filter, identifierStarts(filter));
  return withSource(filter, rewritten, () => parseFilter(rewritten)).map((c) => {
    if (c.entity === 'attribute') {
      if (c.key === 'text') throw notSupported('Full-text search over span contents (`text`)');
      const known = FILTER_ATTRIBUTES[c.key];
      if (known === undefined) {
        throw invalid(`Invalid attribute key '${c.key}' specified. Valid keys are '${pyList(Object.keys(FILTER_ATTRIBUTES))}'`);
      }
      checkRule(known.rule, c.op, c.value, `attribute ${c.key}`);
      return { ...known.target, op: c.op, value: c.value };
    }
    const entity: TraceEntity = c.entity === 'tag' ? 'tag' : 'metadata';
    checkRule(keyValue, c.op, c.value, entity);
    return { entity, key: c.key, op: c.op, value: c.value };
  });
}

/** Parse and check search_traces ORDER BY items (attributes, `tag.<key>`, `metadata.<key>`). */
export function parseTracesOrderBy(sources: readonly string[] | undefined | null): TraceOrderBy[] {
  const items = (sources ?? []).map((source) => {
    const rewritten = rewritePrefixes(source, [firstTokenStart(source)]);
    const item = withSource(source, rewritten, () => parseOrderBy(rewritten));
    if (item.entity === 'attribute') {
      const target = ORDER_ATTRIBUTES[item.key];
      if (target === undefined) {
        throw invalid(`Invalid order by key '${item.key}' specified. Valid keys are '${pyList(Object.keys(ORDER_ATTRIBUTES))}'`);
      }
      return { ...target, ascending: item.ascending };
    }
    return { entity: item.entity === 'tag' ? ('tag' as const) : ('metadata' as const), key: item.key, ascending: item.ascending };
  });
  rejectDuplicateOrderBy(items.map((i) => ({ entity: i.entity === 'metadata' ? 'param' : i.entity, key: i.key, ascending: i.ascending })), sources ?? []);
  return items;
}

function notSupported(what: string): CairnError {
  return invalid(`${what} is not supported by cairn's trace search: span data is kept as files in the artifact store, not in the tracking store. Filter on attributes, tags or metadata instead.`);
}

function checkRule(rule: FieldRule, op: Comparator, value: FilterValue, what: string): void {
  if (!rule.ops.includes(op)) throw invalid(`Invalid comparator '${op}' for ${what}, not one of '${pyList(rule.ops)}'`);
  if (op === 'IN' || op === 'NOT IN' || op === 'IS NULL' || op === 'IS NOT NULL') return;
  if (rule.kind === 'number' && typeof value !== 'number') throw invalid(`Expected numeric value type for ${what}. Found '${String(value)}'`);
  if (rule.kind === 'string' && typeof value !== 'string') {
    throw invalid(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${String(value)}`);
  }
}

/** Where each comparison's identifier starts: the first token and every token after AND. */
function identifierStarts(source: string): number[] {
  const tokens = tokenize(source);
  const starts: number[] = [];
  tokens.forEach((token, at) => {
    const previous = tokens[at - 1];
    if (token.kind === 'word' && token.text.toUpperCase() === 'RLIKE') throw invalid('RLIKE is not supported by cairn\'s trace search; use LIKE or ILIKE.');
    if (at === 0 || (previous?.kind === 'word' && previous.text.toUpperCase() === 'AND')) starts.push(token.start);
  });
  return starts;
}

function firstTokenStart(source: string): number {
  return tokenize(source)[0]?.start ?? 0;
}

/** Replace the trace prefix of each identifier (`metadata.` ...) by the shared grammar's one. */
function rewritePrefixes(source: string, starts: readonly number[]): string {
  let out = source;
  for (const start of starts) {
    const word = /^[A-Za-z_][A-Za-z0-9_]*(?=\.)/.exec(source.slice(start))?.[0];
    if (word === undefined) continue;
    const prefix = word.toLowerCase();
    if (UNSUPPORTED_PREFIXES.has(prefix)) throw notSupported(`Filtering on '${word}.' (span contents and assessments)`);
    const replacement = PREFIXES[prefix];
    if (replacement === undefined) throw invalid(`Invalid entity type '${word}'. Valid values are ${pyList(VALID_PREFIXES)}`);
    const padded = replacement.padStart(word.length, ' ');
    out = out.slice(0, start) + padded + out.slice(start + word.length);
  }
  return out;
}

/** Run a parse of the rewritten text; its error messages quote what the caller wrote. */
function withSource<T>(source: string, rewritten: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CairnError && rewritten !== source) throw new CairnError(error.code, error.message.split(rewritten).join(source));
    throw error;
  }
}
