/** search_registered_models and search_model_versions, including MLflow's prompt rule. */
import type { Comparison } from './filter.js';
import { NUMERIC_OPS, STRING_OPS, parseFilterFor, parseOrderByFor, type SearchGrammar } from './grammar.js';
import type { OrderBy } from './order-by.js';

/** The tag that marks a registered model (and its versions) as a prompt. */
export const IS_PROMPT_TAG = 'mlflow.prompt.is_prompt';

const REGISTERED_MODELS: SearchGrammar = {
  entities: { tag: { kind: 'string', ops: STRING_OPS } },
  attributes: { name: { kind: 'string', ops: STRING_OPS } },
  orderEntities: [],
  orderAttributes: {
    name: 'name',
    creation_timestamp: 'creation_timestamp',
    timestamp: 'creation_timestamp',
    last_updated_timestamp: 'last_updated_timestamp',
  },
};

const MODEL_VERSIONS: SearchGrammar = {
  entities: { tag: { kind: 'string', ops: STRING_OPS } },
  attributes: {
    name: { kind: 'string', ops: STRING_OPS },
    version_number: { kind: 'number', ops: NUMERIC_OPS },
    run_id: { kind: 'string', ops: [...STRING_OPS, 'IN'] },
    source_path: { kind: 'string', ops: STRING_OPS },
  },
  orderEntities: [],
  orderAttributes: {
    name: 'name',
    version_number: 'version_number',
    creation_timestamp: 'creation_timestamp',
    last_updated_timestamp: 'last_updated_timestamp',
  },
};

/** Parse and check a search_registered_models filter. */
export function parseRegisteredModelsFilter(filter: string | undefined | null): Comparison[] {
  return parseFilterFor(REGISTERED_MODELS, filter);
}

/** Parse and check search_registered_models ORDER BY items. */
export function parseRegisteredModelsOrderBy(orderBy: readonly string[] | undefined | null): OrderBy[] {
  return parseOrderByFor(REGISTERED_MODELS, orderBy);
}

/** Parse and check a search_model_versions filter. */
export function parseModelVersionsFilter(filter: string | undefined | null): Comparison[] {
  return parseFilterFor(MODEL_VERSIONS, filter);
}

/** Parse and check search_model_versions ORDER BY items. */
export function parseModelVersionsOrderBy(orderBy: readonly string[] | undefined | null): OrderBy[] {
  return parseOrderByFor(MODEL_VERSIONS, orderBy);
}

/** How a registry search treats prompts, and the comparisons left to apply as written. */
export interface PromptScope {
  /** True when the filter asks for prompts (`is_prompt = 'true'` or `!= 'false'`): prompts are not excluded. */
  readonly promptsWanted: boolean;
  readonly comparisons: readonly Comparison[];
}

/**
 * MLflow's registry stores return only normal models unless the filter asks for prompts, and then
 * drop the prompt-tag comparisons, because normal models lack the tag: `is_prompt != 'true'` must
 * match them ("missing counts as 'false'"). Asking for prompts keeps the comparisons as written.
 */
export function scopePrompts(comparisons: readonly Comparison[]): PromptScope {
  const promptComparison = comparisons.find((c) => c.entity === 'tag' && c.key === IS_PROMPT_TAG);
  const value = typeof promptComparison?.value === 'string' ? promptComparison.value.toLowerCase() : undefined;
  const promptsWanted = (promptComparison?.op === '=' && value === 'true') || (promptComparison?.op === '!=' && value === 'false');
  if (promptsWanted) return { promptsWanted, comparisons };
  return { promptsWanted, comparisons: comparisons.filter((c) => !(c.entity === 'tag' && c.key === IS_PROMPT_TAG)) };
}
