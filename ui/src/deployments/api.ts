/** Calls to /api/v1/deployments for the deployment pages. */
import { requestV1 } from '../api/client.js';

/** A version or an alias, with its share of the traffic. */
export interface TrafficTarget {
  version?: string;
  alias?: string;
  weight: number;
}

/** A deployment as the server describes it. */
export interface Deployment {
  name: string;
  model: string;
  traffic: TrafficTarget[];
  shadow: { version?: string; alias?: string } | null;
  description: string | null;
  log_retention_days: number;
  generation: number;
  status: 'PENDING' | 'READY' | 'FAILED';
  status_message: string | null;
  serving: { routes: { version: string; weight: number }[]; shadow: string | null } | null;
  status_time: number;
  previous: { traffic: TrafficTarget[]; shadow: { version?: string; alias?: string } | null } | null;
  creation_time: number;
  last_updated_time: number;
  invocations_url: string;
}

/** One time bucket of one version's traffic. */
export interface TrafficBucket {
  time: number;
  version: string;
  shadow: boolean;
  requests: number;
  errors: number;
  p50_ms: number;
  p95_ms: number;
}

const BASE = '/api/v1/deployments';

/** A call to the deployments API (url is BASE or below it). */
const call = <T>(method: string, url: string): Promise<T> => requestV1<T>(method, url.slice('/api/v1/'.length));

/** Every deployment. */
export async function listDeployments(): Promise<Deployment[]> {
  return (await call<{ deployments: Deployment[] }>('GET', BASE)).deployments;
}

/** One deployment. */
export async function getDeployment(name: string): Promise<Deployment> {
  return (await call<{ deployment: Deployment }>('GET', `${BASE}/${encodeURIComponent(name)}`)).deployment;
}

/** Requests, errors and latency per minute over the last `minutes`. */
export async function getTrafficStats(name: string, minutes: number): Promise<TrafficBucket[]> {
  return (await call<{ buckets: TrafficBucket[] }>('GET', `${BASE}/${encodeURIComponent(name)}/stats?minutes=${minutes}&bucket_seconds=60`)).buckets;
}

/** Go back to the traffic plan before the last change. */
export async function rollbackDeployment(name: string): Promise<Deployment> {
  return (await call<{ deployment: Deployment }>('POST', `${BASE}/${encodeURIComponent(name)}/rollback`)).deployment;
}

/** `@champion` or `v3`. */
export function targetLabel(target: { version?: string; alias?: string }): string {
  return target.alias !== undefined ? `@${target.alias}` : `v${target.version ?? '?'}`;
}
