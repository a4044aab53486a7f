/**
 * Classification metrics, defined as scikit-learn 1.7 defines them (no sample weights,
 * zero_division=0): accuracy_score, precision/recall/f1 (binary or macro/weighted/micro averages),
 * confusion_matrix, roc_auc_score (binary, or one-vs-rest for several classes) and log_loss.
 */
import { invalid } from '../../core/errors.js';
import { allNumeric, labelKey, sortedLabels, type Label } from './labels.js';
import { binaryRocAuc } from './roc-auc.js';
import { accurateMean } from './sums.js';

/** How precision, recall and F1 are averaged over classes. */
export type Average = 'binary' | 'macro' | 'weighted' | 'micro';

/** Predictions and the truth, plus scores when the model gives probabilities. */
export interface ClassificationInput {
  actual: readonly Label[];
  predicted: readonly Label[];
  /** Binary: the probability of `positiveLabel`, per row. */
  positiveScores?: ArrayLike<number>;
  /** Several classes: a probability per class (in `classes` order), per row. */
  classScores?: { classes: readonly Label[]; rows: readonly ArrayLike<number>[] };
  /** The positive class; default 1 when the labels are 0 and 1. */
  positiveLabel?: Label;
  /** Default 'binary' when there is a positive class and at most two labels, else 'macro'. */
  average?: Average;
}

/** Precision, recall and F1 of one class. */
export interface ClassScores {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** The classification metrics of one window. */
export interface ClassificationMetrics {
  rows: number;
  labels: Label[];
  average: Average;
  positiveLabel: Label | null;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Share of rows predicted positive (binary only): the basis of demographic-parity ratios. */
  selectionRate: number | null;
  rocAuc: number | null;
  logLoss: number | null;
  /** Rows are true labels, columns predicted labels, both in `labels` order. */
  confusionMatrix: number[][];
  perClass: ClassScores[];
  /** Why a metric is null. */
  notes: string[];
}

// np.finfo(np.float64).eps: log_loss clips probabilities to [eps, 1 − eps].
const EPSILON = 2.220446049250313e-16;

const divide = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

function defaultPositive(labels: readonly Label[], given: Label | undefined): Label | null {
  if (given !== undefined) return given;
  const numeric = labels.every((l) => typeof l === 'number');
  return numeric && labels.every((l) => l === 0 || l === 1) ? 1 : null;
}

function average(perClass: readonly ClassScores[], pick: (c: ClassScores) => number, weighted: boolean): number {
  if (!weighted) return accurateMean(perClass.map(pick));
  const total = perClass.reduce((s, c) => s + c.support, 0);
  return divide(perClass.reduce((s, c) => s + pick(c) * c.support, 0), total);
}

function checkScores(scores: ArrayLike<number>, what: string): void {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s) || s < 0 || s > 1) throw invalid(`${what}: row ${i} has ${s}, not a probability in [0, 1]`);
  }
}

/** Every metric of predictions against the truth. */
export function classificationMetrics(input: ClassificationInput): ClassificationMetrics {
  const { actual, predicted } = input;
  if (actual.length !== predicted.length) throw invalid(`labels and predictions differ in length: ${actual.length} vs ${predicted.length}`);
  if (actual.length === 0) throw invalid('no labelled rows to compute classification metrics on');
  const numeric = allNumeric(actual, predicted);
  const labels = sortedLabels(actual, predicted);
  const index = new Map(labels.map((l, i) => [labelKey(l, numeric), i]));
  const matrix = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const t = index.get(labelKey(actual[i]!, numeric))!;
    const p = index.get(labelKey(predicted[i]!, numeric))!;
    matrix[t]![p]!++;
    if (t === p) correct++;
  }
  const perClass: ClassScores[] = labels.map((label, k) => {
    const tp = matrix[k]![k]!;
    const support = matrix[k]!.reduce((s, v) => s + v, 0);
    const predictedCount = matrix.reduce((s, row) => s + row[k]!, 0);
    return { label, precision: divide(tp, predictedCount), recall: divide(tp, support), f1: divide(2 * tp, support + predictedCount), support };
  });
  const positiveLabel = defaultPositive(labels, input.positiveLabel);
  const mode: Average = input.average ?? (positiveLabel !== null && labels.length <= 2 ? 'binary' : 'macro');
  const notes: string[] = [];
  let precision: number;
  let recall: number;
  let f1: number;
  let selectionRate: number | null = null;
  if (mode === 'binary') {
    if (positiveLabel === null) throw invalid('binary averaging needs a positive label (positive_label)');
    if (labels.length > 2) throw invalid(`binary averaging needs at most two labels, found ${labels.length}: use macro, weighted or micro`);
    const k = index.get(labelKey(positiveLabel, numeric));
    const scores = k === undefined ? { precision: 0, recall: 0, f1: 0 } : perClass[k]!;
    ({ precision, recall, f1 } = scores);
    selectionRate = k === undefined ? 0 : matrix.reduce((s, row) => s + row[k]!, 0) / actual.length;
  } else if (mode === 'micro') {
    // Single-label micro averages all equal accuracy: every error is one false positive and one false negative.
    precision = recall = f1 = correct / actual.length;
  } else {
    const weighted = mode === 'weighted';
    precision = average(perClass, (c) => c.precision, weighted);
    recall = average(perClass, (c) => c.recall, weighted);
    f1 = average(perClass, (c) => c.f1, weighted);
  }
  const { rocAuc, logLoss } = probabilityMetrics(input, positiveLabel, numeric, notes);
  return { rows: actual.length, labels, average: mode, positiveLabel, accuracy: correct / actual.length, precision, recall, f1, selectionRate, rocAuc, logLoss, confusionMatrix: matrix, perClass, notes };
}

function probabilityMetrics(input: ClassificationInput, positiveLabel: Label | null, numeric: boolean, notes: string[]): { rocAuc: number | null; logLoss: number | null } {
  const { actual } = input;
  if (input.positiveScores) {
    const scores = input.positiveScores;
    if (scores.length !== actual.length) throw invalid(`scores and labels differ in length: ${scores.length} vs ${actual.length}`);
    checkScores(scores, 'score');
    if (positiveLabel === null) {
      notes.push('roc_auc and log_loss need a positive label for the scores');
      return { rocAuc: null, logLoss: null };
    }
    const key = labelKey(positiveLabel, numeric);
    const positive = actual.map((l) => labelKey(l, numeric) === key);
    const rocAuc = binaryRocAuc(positive, scores);
    if (rocAuc === null) notes.push('roc_auc is undefined: only one class is present in the labels');
    const losses = positive.map((p, i) => -Math.log(Math.min(Math.max(p ? scores[i]! : 1 - scores[i]!, EPSILON), 1 - EPSILON)));
    return { rocAuc, logLoss: accurateMean(losses) };
  }
  if (input.classScores) return multiclassProbabilityMetrics(input.actual, input.classScores, numeric, notes);
  return { rocAuc: null, logLoss: null };
}

/** One-vs-rest macro ROC AUC and log loss over a probability per class. */
function multiclassProbabilityMetrics(actual: readonly Label[], classScores: NonNullable<ClassificationInput['classScores']>, numeric: boolean, notes: string[]): { rocAuc: number | null; logLoss: number | null } {
  const { classes, rows } = classScores;
  if (rows.length !== actual.length) throw invalid(`scores and labels differ in length: ${rows.length} vs ${actual.length}`);
  const column = new Map(classes.map((c, i) => [labelKey(c, numeric), i]));
  rows.forEach((row, i) => {
    if (row.length !== classes.length) throw invalid(`scores: row ${i} has ${row.length} probabilities for ${classes.length} classes`);
    checkScores(row, 'scores');
  });
  const truth = actual.map((l) => column.get(labelKey(l, numeric)));
  if (truth.some((k) => k === undefined)) {
    notes.push('roc_auc and log_loss are undefined: a label is not among the score classes');
    return { rocAuc: null, logLoss: null };
  }
  const logLoss = accurateMean(truth.map((k, i) => -Math.log(Math.min(Math.max(rows[i]![k!]!, EPSILON), 1 - EPSILON))));
  const areas = classes.map((_, k) => binaryRocAuc(truth.map((t) => t === k), rows.map((r) => r[k]!)));
  const defined = areas.every((a) => a !== null);
  if (!defined) notes.push('roc_auc is undefined: a class has no rows, or all rows, in the labels');
  return { rocAuc: defined ? accurateMean(areas as number[]) : null, logLoss };
}
