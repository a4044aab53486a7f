/** Per-minute request counts, errors and latency percentiles of a deployment, from its inference log. */
import type { BlobStore } from '../../blob/types.js';
import { withInferenceWindow } from './reader.js';

/** One time bucket for one version. */
export interface TrafficBucket {
  /** Bucket start, epoch ms. */
  readonly time: number;
  readonly version: string;
  readonly shadow: boolean;
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** Buckets of `bucketSeconds` over [from, to), per version, oldest first. */
export async function trafficStats(blobs: BlobStore, deployment: string, from: number, to: number, bucketSeconds: number): Promise<TrafficBucket[]> {
  const width = Math.max(1, Math.floor(bucketSeconds));
  return withInferenceWindow(blobs, deployment, from, to, async (connection) => {
    const result = await connection.run(`
      SELECT (epoch_ms("time") // ${width * 1000}) * ${width * 1000} AS bucket, version, shadow,
             count(*) AS requests, count(*) FILTER (WHERE status <> 'ok') AS errors,
             quantile_cont(latency_ms, 0.5) AS p50, quantile_cont(latency_ms, 0.95) AS p95
      FROM inference GROUP BY ALL ORDER BY bucket, version, shadow`);
    return (await result.getRowObjectsJS()).map((r) => ({
      time: Number(r['bucket']),
      version: String(r['version']),
      shadow: Boolean(r['shadow']),
      requests: Number(r['requests']),
      errors: Number(r['errors']),
      p50Ms: Number(r['p50'] ?? 0),
      p95Ms: Number(r['p95'] ?? 0),
    }));
  });
}
