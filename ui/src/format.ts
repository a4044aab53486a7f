/** Display helpers shared by the pages. */

import type { WireNumber } from './api/types.js';

/** Converts a wire metric value ("NaN", "Infinity", numbers) into a JS number. */
export function metricNumber(value: WireNumber | undefined): number {
  if (value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

/** Formats a metric value compactly, keeping NaN and infinities readable. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (value === Number.NEGATIVE_INFINITY) return '-∞';
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e7)) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
}

/** Formats an epoch-millisecond timestamp in the viewer's locale. */
export function formatTime(millis: number | undefined): string {
  if (millis === undefined || millis === 0) return '';
  return new Date(millis).toLocaleString();
}

/** Formats a span of milliseconds as "1h 2m", "3m 4s" or "5.6s". */
export function formatDuration(millis: number | undefined): string {
  if (millis === undefined || millis < 0) return '';
  const seconds = millis / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.floor(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Formats a byte count as B, KB, MB or GB. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} ${units[0]}` : `${size.toFixed(1)} ${units[unit]}`;
}

/** Duration of a run, or time since start while it is still running. */
export function runDuration(start: number | undefined, end: number | undefined): number | undefined {
  if (!start) return undefined;
  return (end || Date.now()) - start;
}

/** Formats an epoch-millisecond timestamp as a compact local `YYYY-MM-DD HH:MM:SS`, for table cells. */
export function formatTimeCompact(millis: number | undefined): string {
  if (millis === undefined || millis === 0) return '';
  const date = new Date(millis);
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
