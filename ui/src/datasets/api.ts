/** Calls to cairn's own /api/v1 endpoints for datasets and lineage, and the shapes they answer with. */
import { getV1 } from '../api/client.js';

export { getV1 };

export interface DatasetVersion {
  name: string;
  version: number;
  digest: string;
  size_bytes: number | null;
  file_count: number | null;
  source: string | null;
  source_type: string;
  git_commit: string | null;
  created_by: string | null;
  created_at: number;
  mlflow_schema: string | null;
  mlflow_profile: string | null;
  lineage_node: string;
}

export interface Dataset {
  name: string;
  description: string | null;
  created_at: number;
  last_updated_at: number;
  version_count: number;
  latest?: DatasetVersion;
}

export interface ColumnProfile {
  name: string;
  type: string;
  kind: 'numeric' | 'categorical' | 'temporal' | 'other';
  null_count: number;
  null_share: number;
  distinct: number;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  quantiles?: Record<string, number | null>;
  top?: { value: string; count: number }[];
}

export interface DatasetFile {
  path: string;
  md5: string;
  size_bytes: number | null;
  profile: { format: string; rows: number; columns: ColumnProfile[] } | null;
  profile_error?: string;
}

export interface NumberChange {
  from: number | null;
  to: number | null;
  delta: number | null;
}

export interface ColumnShift {
  name: string;
  type: string;
  null_share: NumberChange;
  distinct: NumberChange;
  mean?: NumberChange;
  median?: NumberChange;
  std?: NumberChange;
  min?: NumberChange;
  max?: NumberChange;
  top_entered?: string[];
  top_left?: string[];
  notable: string[];
}

export interface DatasetDiff {
  name: string;
  from: DatasetVersion;
  to: DatasetVersion;
  files: {
    added: { path: string; md5: string; size_bytes: number | null }[];
    removed: { path: string; md5: string; size_bytes: number | null }[];
    changed: { path: string; from_md5: string; to_md5: string; from_size: number | null; to_size: number | null }[];
    unchanged: number;
  };
  tables: {
    path: string;
    from_path?: string;
    rows: NumberChange;
    schema: { added: { name: string; type: string }[]; removed: { name: string; type: string }[]; retyped: { name: string; from: string; to: string }[] };
    columns: ColumnShift[];
  }[];
}

export const listDatasets = (prefix: string) => getV1<{ datasets: Dataset[] }>('datasets', { prefix, max_results: 1000 });
export const getDataset = (name: string) => getV1<{ dataset: Dataset; versions: DatasetVersion[] }>(`datasets/${encodeURIComponent(name)}`);
export const getVersion = (name: string, ref: string) =>
  getV1<{ version: DatasetVersion & { files: DatasetFile[] }; runs: { run_id: string; linked_at: number }[] }>(`datasets/${encodeURIComponent(name)}/versions/${encodeURIComponent(ref)}`);
export const getDiff = (name: string, from: string, to: string) => getV1<DatasetDiff>(`datasets/${encodeURIComponent(name)}/diff`, { from, to });

/** A dataset version's page. */
export const versionHref = (name: string, ref: string | number): string => `/datasets/${encodeURIComponent(name)}/versions/${encodeURIComponent(String(ref))}`;
/** The lineage page centred on a node. */
export const lineageHref = (node: string): string => `/lineage?node=${encodeURIComponent(node)}`;
/** A digest shortened for tables; the full one is in the title. */
export const shortDigest = (digest: string): string => (digest.length > 14 ? `${digest.slice(0, 12)}…` : digest);
