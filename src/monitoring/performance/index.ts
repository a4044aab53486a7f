/** Model performance with delayed labels: classification and regression metrics matching scikit-learn, per segment with disparity ratios. */
export { classificationMetrics } from './classification.js';
export type { Average, ClassificationInput, ClassificationMetrics, ClassScores } from './classification.js';
export { regressionMetrics, r2Score } from './regression.js';
export type { RegressionMetrics } from './regression.js';
export { binaryRocAuc } from './roc-auc.js';
export { sortedLabels } from './labels.js';
export type { Label } from './labels.js';
export { classificationBySegment, regressionBySegment, disparities, CLASSIFICATION_DISPARITY_METRICS, REGRESSION_DISPARITY_METRICS } from './segments.js';
export type { Disparity, SegmentMetrics } from './segments.js';
export { readPerformanceTable } from './table.js';
export type { PerformanceSpec, PerformanceResult, Task } from './table.js';
