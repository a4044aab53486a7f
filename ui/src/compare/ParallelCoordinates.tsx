import { seriesColor } from '../charts/palette.js';
import { formatMetric } from '../format.js';

/** One run as a line across the axes. */
export interface CoordinateRun {
  id: string;
  label: string;
  params: Record<string, string>;
  metric: number | undefined;
}

/** Maps a run's value on one axis to 0 (bottom) .. 1 (top), or undefined when it is missing. */
interface Axis {
  title: string;
  position: (run: CoordinateRun) => number | undefined;
  ticks: { at: number; label: string }[];
}

function numericAxis(title: string, valueOf: (run: CoordinateRun) => number | undefined, runs: readonly CoordinateRun[]): Axis {
  const values = runs.map(valueOf).filter((value): value is number => value !== undefined && Number.isFinite(value));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  // A flat axis (all runs equal) draws every run through the middle rather than dividing by zero.
  const position = (run: CoordinateRun) => {
    const value = valueOf(run);
    if (value === undefined || !Number.isFinite(value)) return undefined;
    return span === 0 ? 0.5 : (value - min) / span;
  };
  const ticks = values.length === 0 ? [] : span === 0 ? [{ at: 0.5, label: formatMetric(min) }] : [
    { at: 0, label: formatMetric(min) },
    { at: 0.5, label: formatMetric(min + span / 2) },
    { at: 1, label: formatMetric(max) },
  ];
  return { title, position, ticks };
}

function categoricalAxis(title: string, key: string, runs: readonly CoordinateRun[]): Axis {
  const categories = [...new Set(runs.map((run) => run.params[key]).filter((value) => value !== undefined))].sort();
  const at = (index: number) => (categories.length === 1 ? 0.5 : index / (categories.length - 1));
  return {
    title,
    position: (run) => {
      const value = run.params[key];
      return value === undefined ? undefined : at(categories.indexOf(value));
    },
    ticks: categories.map((category, index) => ({ at: at(index), label: category })),
  };
}

function paramAxis(key: string, runs: readonly CoordinateRun[]): Axis {
  const present = runs.map((run) => run.params[key]).filter((value): value is string => value !== undefined);
  const allNumeric = present.length > 0 && present.every((value) => value.trim() !== '' && Number.isFinite(Number(value)));
  if (!allNumeric) return categoricalAxis(key, key, runs);
  return numericAxis(key, (run) => (run.params[key] === undefined ? undefined : Number(run.params[key])), runs);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

const WIDTH = 1000;
const HEIGHT = 320;
const TOP = 40;
const BOTTOM = 20;
const SIDE = 60;

/** A hand-drawn SVG parallel-coordinates plot: one axis per param, the chosen metric last. */
export function ParallelCoordinates({ runs, paramKeys, metricKey }: { runs: readonly CoordinateRun[]; paramKeys: readonly string[]; metricKey: string }) {
  const axes: Axis[] = [
    ...paramKeys.map((key) => paramAxis(key, runs)),
    numericAxis(metricKey, (run) => run.metric, runs),
  ];
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const axisX = (index: number) => (axes.length === 1 ? WIDTH / 2 : SIDE + (index * (WIDTH - 2 * SIDE)) / (axes.length - 1));
  const axisY = (position: number) => TOP + (1 - position) * plotHeight;

  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="parallel" role="img" aria-label={`Params against ${metricKey}`}>
      {runs.map((run, runIndex) => {
        const points = axes
          .map((axis, index) => {
            const position = axis.position(run);
            return position === undefined ? undefined : `${axisX(index)},${axisY(position)}`;
          })
          .filter((point): point is string => point !== undefined);
        return (
          <polyline key={run.id} points={points.join(' ')} fill="none" stroke={seriesColor(runIndex)} strokeWidth={2} opacity={0.85}>
            <title>{run.label}</title>
          </polyline>
        );
      })}
      {axes.map((axis, index) => (
        <g key={axis.title} transform={`translate(${axisX(index)},0)`}>
          <line y1={TOP} y2={TOP + plotHeight} className="axis-line" />
          <text y={TOP - 16} textAnchor="middle" className={index === axes.length - 1 ? 'axis-title metric' : 'axis-title'}>
            {truncate(axis.title, 18)}
          </text>
          {axis.ticks.map((tick) => (
            <text key={`${tick.at}:${tick.label}`} x={6} y={axisY(tick.at) + 4} className="axis-tick">
              {truncate(tick.label, 14)}
            </text>
          ))}
        </g>
      ))}
    </svg>
  );
}
