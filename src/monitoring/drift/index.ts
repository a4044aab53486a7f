/** cairn's drift engine: statistics matching scipy, test choice and verdicts matching Evidently. */
export type { CategoricalColumn, Column, NumericColumn, WindowCounts } from './columns.js';
export { defaultTest, driftForColumn } from './column.js';
export type { ColumnDrift, ColumnDriftOptions, DriftColumnType } from './column.js';
export { driftForDataset } from './dataset.js';
export type { DatasetDrift, DatasetDriftOptions, DriftInputColumn, InputColumnType, SkippedColumn } from './dataset.js';
export { ksTwoSample } from './ks.js';
export type { KsMethod, KsResult } from './ks.js';
export { kolmogorovSurvival } from './kolmogorov.js';
export { smirnovSurvival } from './smirnov.js';
export { chiSquareSurvival, normalSurvival, gammaP, gammaQ } from './special.js';
export type { ReportHistogram } from './report-histogram.js';
export { TEST_NAMES, findTest } from './stattests.js';
export type { TestName } from './stattests.js';
export { DriftPool, defaultPoolSize, startDriftPool } from './pool.js';
export { driftForDatasetColumn, summarizeDatasetDrift } from './dataset.js';
export type { DatasetColumnOutcome } from './dataset.js';
