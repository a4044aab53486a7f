/**
 * Class labels as scikit-learn orders them (`unique_labels`): numbers numerically when every label
 * is a number, otherwise as text in code-point order.
 */

/** A class label: what a classifier predicts and what feedback says was true. */
export type Label = string | number;

/** The distinct labels of the given lists, sorted as scikit-learn sorts them. */
export function sortedLabels(...lists: readonly (readonly Label[])[]): Label[] {
  const all = lists.flat();
  const numeric = all.every((l) => typeof l === 'number');
  if (numeric) return [...new Set(all as number[])].sort((a, b) => a - b);
  const text = [...new Set(all.map(String))];
  return text.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A key that makes 1 and '1' the same class when the labels are mixed. */
export function labelKey(label: Label, numeric: boolean): string {
  return numeric ? `n:${label}` : `s:${String(label)}`;
}

/** Whether every label of the lists is a number. */
export const allNumeric = (...lists: readonly (readonly Label[])[]): boolean => lists.every((list) => list.every((l) => typeof l === 'number'));
