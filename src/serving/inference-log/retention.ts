/** Retention of the inference log: hours older than the deployment's retention are deleted. */
import type { BlobStore } from '../../blob/types.js';
import { HOUR_MS, hourStart, type LogKind } from './records.js';

const DAY_MS = 24 * HOUR_MS;

/**
 * Delete the hour folders of one deployment (both logs) that ended more than `retentionDays`
 * before `now`; returns how many hour folders went. A whole day goes in one delete.
 */
export async function pruneInferenceLog(blobs: BlobStore, deployment: string, retentionDays: number, now: number): Promise<number> {
  const cutoff = now - retentionDays * DAY_MS;
  let removed = 0;
  for (const kind of ['inference-log', 'inference-feedback'] satisfies LogKind[]) {
    const root = `${kind}/${deployment}`;
    for (const day of await blobs.list(root)) {
      if (!day.isDir) continue;
      const dayStart = hourStart(day.name, '00');
      if (dayStart === null) continue;
      if (dayStart + DAY_MS <= cutoff) {
        removed += (await blobs.list(`${root}/${day.name}`)).length;
        await blobs.delete(`${root}/${day.name}`);
        continue;
      }
      for (const hour of await blobs.list(`${root}/${day.name}`)) {
        const start = hourStart(day.name, hour.name);
        if (start === null || start + HOUR_MS > cutoff) continue;
        await blobs.delete(`${root}/${day.name}/${hour.name}`);
        removed += 1;
      }
    }
  }
  return removed;
}

/** Delete everything a deployment logged (when the deployment is deleted with purge). */
export async function deleteInferenceLog(blobs: BlobStore, deployment: string): Promise<void> {
  await blobs.delete(`inference-log/${deployment}`);
  await blobs.delete(`inference-feedback/${deployment}`);
}
