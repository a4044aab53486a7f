/**
 * The reference is computed once: the first run writes the reference window to the artifact store
 * (`monitoring/<monitor>/reference-<id>.<ext>`) and keeps its row count and columns on the monitor
 * row; later runs read that snapshot. So a reference named as "the last week of the log" stays the
 * week it was when the monitor first ran, and every replica compares against the same data.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../../blob/types.js';
import type { Db } from '../../store/db.js';
import { storeReferenceState } from '../../store/monitoring/monitors.js';
import type { ClassNames } from './inference-table.js';
import { materializeSource, type LocalTable, type SourceDeps } from './sources.js';
import type { ReferenceSpec } from './spec.js';
import { describeTable } from './table-columns.js';

/** What the monitor row keeps about its reference. */
export interface ReferenceState {
  key: string;
  rows: number;
  columns: string[];
  description: string;
  window?: { from: number; to: number };
  computedAt: number;
}

/** The stored reference state, parsed. */
export const parseReferenceState = (text: string | null): ReferenceState | null => (text ? (JSON.parse(text) as ReferenceState) : null);

/** A local copy of the monitor's reference, computing and storing it on first use. */
export async function referenceTable(
  deps: { db: Db; blobs: BlobStore; sources: SourceDeps },
  monitor: string,
  spec: ReferenceSpec,
  state: ReferenceState | null,
  now: number,
  folder: string,
  classes?: ClassNames,
): Promise<{ table: LocalTable; state: ReferenceState }> {
  if (state) {
    const read = await deps.blobs.get(state.key);
    if (read) {
      const path = join(folder, `reference-snapshot${state.key.slice(state.key.lastIndexOf('.'))}`);
      await pipeline(read.stream, createWriteStream(path));
      return { table: { path, description: state.description, ...(state.window ? { window: state.window } : {}) }, state };
    }
  }
  const table = await materializeSource(deps.sources, spec, now, folder, 'reference', classes);
  const described = await describeTable(table.path);
  const suffix = /\.(csv|tsv|txt|parquet|pq)(\.gz|\.zst)?$/i.exec(table.path)?.[0] ?? '.csv';
  const key = `monitoring/${monitor}/reference-${randomUUID()}${suffix}`;
  await deps.blobs.put(key, createReadStream(table.path), { contentLength: (await stat(table.path)).size });
  const fresh: ReferenceState = { key, rows: described.rows, columns: described.columns, description: table.description, ...(table.window ? { window: table.window } : {}), computedAt: now };
  await storeReferenceState(deps.db.kysely, monitor, JSON.stringify(fresh));
  return { table, state: fresh };
}
