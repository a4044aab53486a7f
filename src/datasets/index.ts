/**
 * The dataset registry: named, versioned datasets with DuckDB table profiles and diffs, and the
 * content-addressed data objects that `cairn data push` sends to a cairn server.
 */
import type { BlobStore } from '../blob/types.js';
import type { Db } from '../store/db.js';
import { DataObjects } from './objects.js';
import { Datasets } from './registry.js';

export { DataObjects, DATA_OBJECTS_ROOT, isObjectId, objectIdOf } from './objects.js';
export { Datasets, DATASET_LIST_LIMITS } from './registry.js';
export type { DatasetDiff, DatasetFileView, DatasetRow, DatasetVersionRow, DatasetVersionView, NewDatasetVersion } from './registry.js';
export type { ColumnProfile, TableProfile, TableFormat } from './profile.js';
export { profileTableFile, tableFormatOf, PROFILE_QUANTILES } from './profile.js';
export type { ColumnShift, FileChanges, NumberChange, TableDiff } from './diff.js';
export { SHIFT_THRESHOLDS } from './diff.js';
export { PROFILE_LIMITS } from './versions.js';

/** The datasets capability: the registry and the object store beneath it. */
export interface DatasetsCapability {
  readonly registry: Datasets;
  readonly objects: DataObjects;
}

/** Build the dataset registry over a database and the artifact store. */
export function createDatasets(db: Db, blobs: BlobStore): DatasetsCapability {
  const objects = new DataObjects(blobs);
  return Object.freeze({ registry: new Datasets(db, objects), objects });
}
