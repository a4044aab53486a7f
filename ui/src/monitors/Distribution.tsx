import type { Histogram } from './api.js';

/** Reference and current shares of one column side by side: bins of a number, or categories. */
export function Distribution({ column, histogram }: { column: string; histogram: Histogram }) {
  const labels = histogram.kind === 'cat' ? histogram.labels : histogram.reference.map((_, i) => `${formatEdge(histogram.edges[i])}–${formatEdge(histogram.edges[i + 1])}`);
  const top = Math.max(...histogram.reference, ...histogram.current, 1e-12);
  const width = Math.max(labels.length * 18, 240);
  const height = 160;
  const bar = width / labels.length;
  return (
    <figure className="distribution" aria-label={`Distribution of ${column}`}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} preserveAspectRatio="none" role="img">
        {labels.map((label, i) => {
          const r = (histogram.reference[i] ?? 0) / top;
          const c = (histogram.current[i] ?? 0) / top;
          return (
            <g key={label + i}>
              <title>{`${label}: reference ${pct(histogram.reference[i])}, current ${pct(histogram.current[i])}`}</title>
              <rect className="ref-bar" x={i * bar + 1} y={height - r * height} width={bar / 2 - 1} height={r * height} />
              <rect className="cur-bar" x={i * bar + bar / 2} y={height - c * height} width={bar / 2 - 1} height={c * height} />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="swatch ref-bar" /> reference <span className="swatch cur-bar" /> current — {histogram.kind === 'cat' ? `${labels.length} categories` : `${labels.length} bins from ${formatEdge(histogram.edges[0])} to ${formatEdge(histogram.edges[histogram.edges.length - 1])}`}
      </figcaption>
    </figure>
  );
}

const pct = (share: number | undefined): string => `${((share ?? 0) * 100).toFixed(1)} %`;
const formatEdge = (value: number | undefined): string => (value === undefined ? '' : Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value)) : value.toPrecision(3));
