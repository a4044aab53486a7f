/** MLflow's search grammars: filter and ORDER BY parsing, per-search validation, page tokens. */
export { parseFilter, type Comparison, type Comparator, type Entity, type FilterValue } from './filter.js';
export { parseOrderBy, type OrderBy } from './order-by.js';
export { tokenize, type Token } from './tokens.js';
export { parseRunsFilter, parseRunsOrderBy, type RunAttribute } from './runs.js';
export { parseExperimentsFilter, parseExperimentsOrderBy, type ExperimentAttribute } from './experiments.js';
export {
  IS_PROMPT_TAG,
  parseModelVersionsFilter,
  parseModelVersionsOrderBy,
  parseRegisteredModelsFilter,
  parseRegisteredModelsOrderBy,
  scopePrompts,
  type PromptScope,
} from './registry.js';
export {
  checkDatasetScopes,
  parseLoggedModelsFilter,
  parseLoggedModelsOrderBy,
  type DatasetScope,
  type LoggedModelOrderBy,
  type LoggedModelOrderByRequest,
} from './logged-models.js';
export { decodePageToken, decodePageTokenObject, encodePageToken } from './page-token.js';
