/** Calls to cairn's /api/v1/monitors and /api/v1/alerts, and the shapes they answer with. */
import { getV1 as getJson } from '../api/client.js';

export interface Monitor {
  name: string;
  spec: {
    description?: string | null;
    schedule?: string | null;
    reference: { type: string; [key: string]: unknown };
    current: { type: string; [key: string]: unknown };
    performance?: { task: string; segment?: string };
    alerts: { name: string; metric: string; column?: string; comparator: string; threshold: number; for: number }[];
  };
  reference: { rows: number; columns: string[]; description: string; computed_at: number } | null;
  alert_states: { rule: string; firing: boolean; consecutive: number; since: number | null; last_value: number | null }[];
  last_run: { run_id: string; at: number | null; status: string | null; error: string | null } | null;
  created_at: number;
}

export interface RunSummary {
  run_id: string;
  trigger: string;
  status: string;
  error: string | null;
  started_at: number;
  current_rows: number | null;
  reference_rows: number | null;
  summary: { dataset_drift?: boolean | null; drift_share?: number | null; drifted_columns?: number | null; tested_columns?: number | null; performance?: Record<string, number> };
}

/** A histogram of both windows, as the drift engine reports it. */
export type Histogram = { kind: 'num'; edges: number[]; reference: number[]; current: number[] } | { kind: 'cat'; labels: string[]; reference: number[]; current: number[] };

export interface RunDetail extends RunSummary {
  detail: {
    drift: { columns: { column: string; status: string; test?: string; score?: number | string | null; threshold?: number; drift: boolean }[]; histograms?: Record<string, Histogram> } | null;
    performance: { labelled_rows: number; metrics: Record<string, unknown> | null; disparities?: { metric: string; ratio: number | null; min_segment: string; max_segment: string }[] } | null;
  } | null;
}

export interface SeriesPoint {
  run_id: string;
  time: number;
  metric: string;
  column: string;
  value: number;
}

export interface AlertEvent {
  event_id: string;
  rule: string;
  state: string;
  metric: string;
  column: string;
  comparator: string;
  threshold: number;
  value: number | null;
  time: number;
  deliveries: { channel: string; ok: boolean; error?: string }[];
}

export const listMonitors = () => getJson<{ monitors: Monitor[] }>('monitors');
export const getMonitor = (name: string) => getJson<{ monitor: Monitor }>(`monitors/${encodeURIComponent(name)}`);
export const listRuns = (name: string) => getJson<{ runs: RunSummary[] }>(`monitors/${encodeURIComponent(name)}/results`, { limit: 200 });
export const getRun = (name: string, runId: string) => getJson<{ run: RunDetail }>(`monitors/${encodeURIComponent(name)}/results/${encodeURIComponent(runId)}`);
export const getSeries = (name: string, metric?: string) => getJson<{ points: SeriesPoint[] }>(`monitors/${encodeURIComponent(name)}/series`, { metric });
export const listAlerts = (monitor: string) => getJson<{ alerts: AlertEvent[] }>('alerts', { monitor, limit: 200 });
