import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binaryRocAuc, classificationBySegment, classificationMetrics, regressionMetrics, r2Score } from './index.js';

const close = (actual: number | null, expected: number, tolerance = 1e-12): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);
};

test('binary classification matches hand-computed scikit-learn values', () => {
  // sklearn: accuracy 0.625, precision 0.6, recall 0.75, f1 2/3, roc_auc 0.8125, log_loss 0.4963...
  const actual = [0, 1, 1, 0, 1, 0, 1, 0];
  const predicted = [0, 1, 0, 1, 1, 1, 1, 0];
  const scores = [0.1, 0.9, 0.4, 0.6, 0.8, 0.7, 0.65, 0.2];
  const m = classificationMetrics({ actual, predicted, positiveScores: scores });
  assert.equal(m.average, 'binary');
  close(m.accuracy, 0.625);
  close(m.precision, 0.6);
  close(m.recall, 0.75);
  close(m.f1, 2 / 3);
  assert.deepEqual(m.confusionMatrix, [[2, 2], [1, 3]]);
  // Positives 0.9, 0.4, 0.8, 0.65 against negatives 0.1, 0.6, 0.7, 0.2: 13 of 16 pairs ordered.
  close(m.rocAuc, 13 / 16);
  const expectedLoss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.65) + Math.log(0.9) + Math.log(0.4) + Math.log(0.3) + Math.log(0.8)) / 8;
  close(m.logLoss, expectedLoss);
  close(m.selectionRate, 5 / 8);
});

test('tied scores count half in the ROC AUC, and one class gives null', () => {
  close(binaryRocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.5]), 0.5);
  close(binaryRocAuc([true, false, false], [0.7, 0.7, 0.1]), 0.75);
  assert.equal(binaryRocAuc([true, true], [0.2, 0.3]), null);
});

test('multiclass macro, weighted and micro averages', () => {
  const actual = ['a', 'b', 'c', 'a', 'b', 'c', 'a'];
  const predicted = ['a', 'c', 'c', 'a', 'b', 'a', 'b'];
  const macro = classificationMetrics({ actual, predicted });
  assert.equal(macro.average, 'macro');
  assert.deepEqual(macro.labels, ['a', 'b', 'c']);
  // per class precision a 2/3, b 1/2, c 1/2; recall a 2/3, b 1/2, c 1/2
  close(macro.precision, (2 / 3 + 0.5 + 0.5) / 3);
  const weighted = classificationMetrics({ actual, predicted, average: 'weighted' });
  close(weighted.recall, (3 * (2 / 3) + 2 * 0.5 + 2 * 0.5) / 7);
  const micro = classificationMetrics({ actual, predicted, average: 'micro' });
  close(micro.f1, 4 / 7);
});

test('regression metrics, including the constant-target R² rule', () => {
  const m = regressionMetrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
  close(m.mae, 0.5);
  close(m.rmse, Math.sqrt(0.375));
  close(m.r2, 0.9486081370449679);
  close(m.mape, (0.5 / 3 + 0.5 / 0.5 + 0 + 1 / 7) / 4);
  assert.equal(r2Score([1, 1, 1], [1, 1, 1]), 1);
  assert.equal(r2Score([1, 1, 1], [1, 2, 1]), 0);
});

test('segments and disparity ratios', () => {
  const { segments, disparities } = classificationBySegment(
    { actual: [1, 0, 1, 0, 1, 0], predicted: [1, 1, 1, 0, 0, 0] },
    ['x', 'x', 'x', 'y', 'y', 'y'],
  );
  assert.deepEqual(segments.map((s) => s.segment), ['x', 'y']);
  const selection = disparities.find((d) => d.metric === 'selection_rate')!;
  assert.equal(selection.ratio, 0);
  assert.equal(selection.maxSegment, 'x');
  const accuracy = disparities.find((d) => d.metric === 'accuracy')!;
  close(accuracy.ratio, (2 / 3) / (2 / 3));
});

test('bad input is refused with a reason', () => {
  assert.throws(() => classificationMetrics({ actual: [1], predicted: [] }), /differ in length/);
  assert.throws(() => classificationMetrics({ actual: [0, 1], predicted: [0, 1], positiveScores: [0.5, 1.5] }), /not a probability/);
  assert.throws(() => regressionMetrics([], []), /no labelled rows/);
});
