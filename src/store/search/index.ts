/** Searches over the store: each returns one page of keys, in order, and the next page token. */
export { searchRunIds, type SearchRunsQuery, type SearchRunsResult, type ViewType } from './runs.js';
export { searchExperimentIds, type SearchExperimentsQuery, type SearchExperimentsResult } from './experiments.js';
export { searchRegisteredModelNames, type SearchRegisteredModelsQuery, type SearchRegisteredModelsResult } from './registered-models.js';
export { searchModelVersionKeys, type ModelVersionKey, type SearchModelVersionsQuery, type SearchModelVersionsResult } from './model-versions.js';
export { searchLoggedModelIds, type SearchLoggedModelsQuery, type SearchLoggedModelsResult } from './logged-models.js';
