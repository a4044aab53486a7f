import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { AlignedData, Options } from 'uplot';
import { seriesColor } from './palette.js';

/** One line on a chart: its label and (step, value) points sorted by step. */
export interface ChartSeries {
  label: string;
  points: readonly { x: number; y: number }[];
}

/**
 * uPlot wants one shared x array; runs log different steps, so take the union of steps and
 * leave gaps (null) where a run has no point. NaN and infinities cannot be drawn, so they gap too.
 */
export function alignSeries(series: readonly ChartSeries[]): AlignedData {
  const xs = [...new Set(series.flatMap((line) => line.points.map((point) => point.x)))].sort((a, b) => a - b);
  const indexOfX = new Map(xs.map((x, index) => [x, index]));
  const columns = series.map((line) => {
    const ys: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const point of line.points) {
      const index = indexOfX.get(point.x);
      if (index !== undefined) ys[index] = Number.isFinite(point.y) ? point.y : null;
    }
    return ys;
  });
  return [xs, ...columns];
}

interface MetricChartProps {
  title: string;
  series: readonly ChartSeries[];
  xLabel?: string;
  height?: number;
}

/** A uPlot line chart that follows its container's width. */
export function MetricChart({ title, series, xLabel = 'step', height = 220 }: MetricChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const singlePoint = series.every((line) => line.points.length <= 1);
    const options: Options = {
      width: Math.max(container.clientWidth, 200),
      height,
      scales: { x: { time: false } },
      axes: [{ label: xLabel }, {}],
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: xLabel },
        ...series.map((line, index) => ({
          label: line.label,
          stroke: seriesColor(index),
          width: 1.5,
          spanGaps: true,
          // A metric logged once would be an invisible zero-length line without a point marker.
          points: { show: singlePoint ? true : undefined },
        })),
      ],
    };
    const plot = new uPlot(options, alignSeries(series), container);
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(container.clientWidth, 200), height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [series, xLabel, height]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={containerRef} className="chart-canvas" data-metric={title} />
    </figure>
  );
}
