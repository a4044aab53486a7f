/**
 * The metrics the CI/CD gate compares, computed as scikit-learn defines them (checked against it
 * in tests/serving/test_gate_metrics.py):
 * - accuracy: accuracy_score.
 * - f1: f1_score with average='binary' (pos_label 1) when the labels are a subset of {0, 1},
 *   else average='macro' over the labels seen in truth or prediction; an undefined precision or
 *   recall counts as 0 (zero_division=0).
 * - roc_auc: roc_auc_score; binary on the positive class's score, multiclass one-vs-rest macro
 *   (multi_class='ovr'); ties get average ranks (Mann-Whitney U).
 * - rmse, mae: root mean squared and mean absolute error.
 */
import { invalid } from '../../core/errors.js';

/** The metrics a gate can compare. */
export const GATE_METRICS = ['f1', 'accuracy', 'roc_auc', 'rmse', 'mae'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

/** Whether a larger value is better (classification scores) or worse (errors). */
export function higherIsBetter(metric: GateMetric): boolean {
  return metric !== 'rmse' && metric !== 'mae';
}

type Label = number | string;
const key = (v: Label): string => String(v);

/** Share of predictions equal to the truth. */
export function accuracy(truth: readonly Label[], predicted: readonly Label[]): number {
  sameLength(truth, predicted);
  let right = 0;
  for (let i = 0; i < truth.length; i += 1) if (key(truth[i] as Label) === key(predicted[i] as Label)) right += 1;
  return right / truth.length;
}

/** F1: binary for {0, 1} labels, else macro over the labels present. */
export function f1(truth: readonly Label[], predicted: readonly Label[]): number {
  sameLength(truth, predicted);
  const labels = [...new Set([...truth, ...predicted].map(key))];
  const binary = labels.every((l) => l === '0' || l === '1');
  if (binary) return f1For('1', truth, predicted);
  return labels.reduce((sum, l) => sum + f1For(l, truth, predicted), 0) / labels.length;
}

function f1For(positive: string, truth: readonly Label[], predicted: readonly Label[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < truth.length; i += 1) {
    const t = key(truth[i] as Label) === positive;
    const p = key(predicted[i] as Label) === positive;
    if (t && p) tp += 1;
    else if (p) fp += 1;
    else if (t) fn += 1;
  }
  // sklearn: F = 2tp / (2tp + fp + fn), and 0 when the denominator is 0.
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

/**
 * ROC AUC. `scores[i]` holds one score per class, classes in sorted order (scikit-learn's
 * `classes_`, which skl2onnx keeps for `probabilities`); `classes` names them.
 */
export function rocAuc(truth: readonly Label[], scores: readonly (readonly number[])[], classes: readonly Label[]): number {
  sameLength(truth, scores);
  if (classes.length < 2) throw invalid('roc_auc needs at least two classes');
  if (classes.length === 2) return binaryAuc(truth.map((t) => key(t) === key(classes[1] as Label)), scores.map((s) => s[1] ?? Number.NaN));
  const present = classes.filter((c) => truth.some((t) => key(t) === key(c)));
  if (present.length !== classes.length) throw invalid(`roc_auc (one-vs-rest) needs every class in the data; missing: ${classes.filter((c) => !present.includes(c)).join(', ')}`);
  const aucs = classes.map((c, k) => binaryAuc(truth.map((t) => key(t) === key(c)), scores.map((s) => s[k] ?? Number.NaN)));
  return aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

/** AUC of one positive-vs-rest split: the Mann-Whitney U statistic over average ranks. */
function binaryAuc(positive: readonly boolean[], score: readonly number[]): number {
  const order = score.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(score.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as readonly [number, number])[0] === (order[start] as readonly [number, number])[0]) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j += 1) ranks[(order[j] as readonly [number, number])[1]] = rank;
    start = end + 1;
  }
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) throw invalid('roc_auc is undefined when the data holds only one class');
  let rankSum = 0;
  positive.forEach((p, i) => {
    if (p) rankSum += ranks[i] as number;
  });
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Root mean squared error. */
export function rmse(truth: readonly number[], predicted: readonly number[]): number {
  sameLength(truth, predicted);
  let sum = 0;
  for (let i = 0; i < truth.length; i += 1) sum += ((truth[i] as number) - (predicted[i] as number)) ** 2;
  return Math.sqrt(sum / truth.length);
}

/** Mean absolute error. */
export function mae(truth: readonly number[], predicted: readonly number[]): number {
  sameLength(truth, predicted);
  let sum = 0;
  for (let i = 0; i < truth.length; i += 1) sum += Math.abs((truth[i] as number) - (predicted[i] as number));
  return sum / truth.length;
}

function sameLength(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw invalid(`truth has ${a.length} values but the predictions have ${b.length}`);
  if (a.length === 0) throw invalid('there is no data to compute a metric on');
}
