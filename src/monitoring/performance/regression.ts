/**
 * Regression metrics, defined as scikit-learn 1.7 defines them (single output, no sample weights):
 * mean_absolute_error, root_mean_squared_error, mean_absolute_percentage_error, r2_score.
 */
import { invalid } from '../../core/errors.js';
import { accurateMean, accurateSum } from './sums.js';

/** The regression metrics of one window. */
export interface RegressionMetrics {
  rows: number;
  mae: number;
  rmse: number;
  /** A share, not a percentage (scikit-learn's convention): 0.05 means 5 %. */
  mape: number;
  r2: number;
}

// np.finfo(np.float64).eps: scikit-learn divides by max(|y|, eps) so a zero target stays finite.
const EPSILON = 2.220446049250313e-16;

function checkPair(actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length) throw invalid(`labels and predictions differ in length: ${actual.length} vs ${predicted.length}`);
  if (actual.length === 0) throw invalid('no labelled rows to compute regression metrics on');
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]!) || !Number.isFinite(predicted[i]!)) throw invalid(`row ${i}: labels and predictions must be finite numbers`);
  }
}

/**
 * R² = 1 − SS_res / SS_tot, with scikit-learn's `force_finite` rule: a constant target scores 1
 * when predicted perfectly and 0 otherwise.
 */
export function r2Score(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const mean = accurateMean(actual);
  const residual = new Float64Array(actual.length);
  const total = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) {
    residual[i] = (actual[i]! - predicted[i]!) ** 2;
    total[i] = (actual[i]! - mean) ** 2;
  }
  const numerator = accurateSum(residual);
  const denominator = accurateSum(total);
  if (denominator === 0) return numerator === 0 ? 1 : 0;
  if (numerator === 0) return 1;
  return 1 - numerator / denominator;
}

/** MAE, RMSE, MAPE and R² of predictions against labels. */
export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  checkPair(actual, predicted);
  const n = actual.length;
  const absolute = new Float64Array(n);
  const squared = new Float64Array(n);
  const percentage = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const error = predicted[i]! - actual[i]!;
    absolute[i] = Math.abs(error);
    squared[i] = error * error;
    percentage[i] = Math.abs(error) / Math.max(Math.abs(actual[i]!), EPSILON);
  }
  return {
    rows: n,
    mae: accurateMean(absolute),
    rmse: Math.sqrt(accurateMean(squared)),
    mape: accurateMean(percentage),
    r2: r2Score(actual, predicted),
  };
}
