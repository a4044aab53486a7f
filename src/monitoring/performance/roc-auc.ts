/**
 * Area under the ROC curve, as scikit-learn's roc_auc_score computes it: the trapezoid rule over
 * the curve through every distinct score threshold, so tied scores count half. The areas are
 * summed in whole counts (false × true positives) and divided once, which keeps the result exact
 * to the last bits.
 */

/** AUC of scores for a binary truth (true = positive); null when one class is absent (scikit-learn raises). */
export function binaryRocAuc(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let truePositives = 0;
  let falsePositives = 0;
  let previousTrue = 0;
  let previousFalse = 0;
  let twiceArea = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (positive[i]) truePositives++;
    else falsePositives++;
    const lastOfThreshold = k === n - 1 || scores[order[k + 1]!]! !== scores[i]!;
    if (!lastOfThreshold) continue;
    twiceArea += (falsePositives - previousFalse) * (truePositives + previousTrue);
    previousTrue = truePositives;
    previousFalse = falsePositives;
  }
  if (truePositives === 0 || falsePositives === 0) return null;
  return twiceArea / 2 / (truePositives * falsePositives);
}
