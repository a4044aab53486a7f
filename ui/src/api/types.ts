/** MLflow wire shapes the UI reads (see docs: mlflow-wire-protocol sections 1.1-1.7). */

/** A key/value pair as MLflow sends params and tags. */
export interface KeyValue {
  key: string;
  value: string;
}

/** A metric value on the wire: a number, or "NaN"/"Infinity"/"-Infinity" as strings. */
export type WireNumber = number | string;

/** One logged metric point. */
export interface Metric {
  key: string;
  value: WireNumber;
  timestamp: number;
  step?: number;
}

/** A metric point returned by get-history-bulk-interval, tagged with its run. */
export interface MetricWithRunId extends Metric {
  run_id: string;
}

/** An experiment as returned by experiments/search and experiments/get. */
export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
}

/** A run's info block. */
export interface RunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  user_id?: string;
  status?: string;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

/** A run as returned by runs/search and runs/get. */
export interface Run {
  info: RunInfo;
  data?: {
    metrics?: Metric[];
    params?: KeyValue[];
    tags?: KeyValue[];
  };
}

/** One entry of an artifact directory listing; `path` is the basename. */
export interface ArtifactFile {
  path: string;
  is_dir?: boolean;
  file_size?: number;
}

/** A registered model. */
export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

/** A version of a registered model. */
export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: KeyValue[];
  aliases?: string[];
}
