/** Twenty colours that stay distinguishable side by side, one per compared run. */
export const SERIES_COLORS: readonly string[] = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd',
  '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f',
  '#393b79', '#ad494a', '#637939', '#e6550d', '#7b4173',
  '#3182bd', '#31a354', '#843c39', '#de9ed6', '#6baed6',
];

/** The colour for the n-th series, cycling if there are more than twenty. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? '#1f77b4';
}
