/** Deployments as the API and the UI see them, decoded from their database rows. */
import type { DeploymentRow } from '../../store/deployments/deployments.js';
import type { ResolvedPlan, Target, TrafficPlan, WeightedTarget } from './plan.js';

/** How a deployment's last load went, as a serving process reported it. */
export type DeploymentStatus = 'PENDING' | 'READY' | 'FAILED';

/** A managed deployment. */
export interface Deployment {
  readonly name: string;
  readonly model: string;
  readonly traffic: readonly WeightedTarget[];
  readonly shadow: Target | null;
  readonly description: string | null;
  readonly logRetentionDays: number;
  /** Bumped on every change of the plan. */
  readonly generation: number;
  readonly status: DeploymentStatus;
  /** Why the last load failed (the previous versions keep serving), or null. */
  readonly statusMessage: string | null;
  /** The versions serving when the status was reported. */
  readonly serving: ResolvedPlan | null;
  readonly statusTime: number;
  /** The plan a rollback returns to, or null when there was no change yet. */
  readonly previous: TrafficPlan | null;
  readonly creationTime: number;
  readonly lastUpdatedTime: number;
}

/** Decode a row; the JSON columns were written by this module only. */
export function toDeployment(row: DeploymentRow): Deployment {
  return {
    name: row.name,
    model: row.model_name,
    traffic: JSON.parse(row.traffic) as WeightedTarget[],
    shadow: row.shadow === null ? null : (JSON.parse(row.shadow) as Target),
    description: row.description,
    logRetentionDays: Number(row.log_retention_days),
    generation: Number(row.generation),
    status: row.status as DeploymentStatus,
    statusMessage: row.status_message,
    serving: row.serving === null ? null : (JSON.parse(row.serving) as ResolvedPlan),
    statusTime: Number(row.status_time),
    previous: row.previous === null ? null : (JSON.parse(row.previous) as TrafficPlan),
    creationTime: Number(row.creation_time),
    lastUpdatedTime: Number(row.last_updated_time),
  };
}

/** The plan of a deployment. */
export function planOf(d: Pick<Deployment, 'traffic' | 'shadow'>): TrafficPlan {
  return { traffic: d.traffic, shadow: d.shadow };
}

/** Targets as stored: only the fields that matter, in a fixed order. */
export function encodeTarget(t: Target): Target {
  return 'alias' in t ? { alias: t.alias } : { version: t.version };
}

/** The traffic list as stored. */
export function encodeTraffic(traffic: readonly WeightedTarget[]): string {
  return JSON.stringify(traffic.map((t) => ({ ...encodeTarget(t), weight: t.weight })));
}
