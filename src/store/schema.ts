/**
 * The tables cairn keeps, as Kysely sees them. Times are epoch milliseconds. Column names follow
 * MLflow's SQL store where one exists, so people who know it find their way.
 */
import type { Generated } from 'kysely';

/** int64 columns: pg returns BIGINT as strings unless told otherwise; db.ts parses them to numbers. */
type Int64 = number;

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: Int64;
  last_update_time: Int64;
  deleted_time: Int64 | null;
}

export interface KeyValueTable {
  key: string;
  value: string;
}

export interface ExperimentTagsTable extends KeyValueTable {
  experiment_id: number;
}

export interface RunsTable {
  run_uuid: string;
  name: string;
  experiment_id: number;
  user_id: string;
  status: string;
  start_time: Int64;
  end_time: Int64 | null;
  deleted_time: Int64 | null;
  lifecycle_stage: string;
  artifact_uri: string;
}

export interface RunKeyValueTable extends KeyValueTable {
  run_uuid: string;
}

export interface MetricsTable {
  run_uuid: string;
  key: string;
  value: number;
  timestamp: Int64;
  step: Int64;
  is_nan: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  dataset_source_type: string;
  dataset_source: string;
  dataset_schema: string | null;
  dataset_profile: string | null;
}

export interface InputsTable {
  input_uuid: string;
  /** 'DATASET' or 'MODEL' */
  source_type: string;
  source_id: string;
  destination_type: string;
  destination_id: string;
  /** Order of arrival, so a run's inputs come back in the order they were logged. */
  position: Int64;
}

export interface InputTagsTable {
  input_uuid: string;
  name: string;
  value: string;
}

export interface RunOutputsTable {
  run_uuid: string;
  model_id: string;
  step: Int64;
}

export interface LoggedModelsTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: Int64;
  last_updated_timestamp_ms: Int64;
  status: string;
  lifecycle_stage: string;
  model_type: string | null;
  source_run_id: string | null;
  status_message: string | null;
}

export interface LoggedModelKeyValueTable extends KeyValueTable {
  model_id: string;
}

export interface LoggedModelMetricsTable {
  model_id: string;
  metric_name: string;
  metric_timestamp_ms: Int64;
  metric_step: Int64;
  metric_value: number;
  is_nan: number;
  experiment_id: number;
  run_id: string;
  dataset_name: string | null;
  dataset_digest: string | null;
}

export interface RegisteredModelsTable {
  name: string;
  creation_time: Int64;
  last_updated_time: Int64;
  description: string | null;
  user_id: string | null;
}

export interface RegisteredModelTagsTable extends KeyValueTable {
  name: string;
}

export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_time: Int64;
  last_updated_time: Int64;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string;
  /** Where the files are (a logged model's or run's artifact location), for get-download-uri. */
  storage_location: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
  model_id: string | null;
  /** Soft delete keeps the number from being reused. */
  deleted: number;
}

export interface ModelVersionTagsTable extends KeyValueTable {
  name: string;
  version: number;
}

export interface RegisteredModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

export interface TraceInfoTable {
  /** The trace id ("tr-" + 32 hex); MLflow's column name from its v2 days. */
  request_id: string;
  experiment_id: number;
  timestamp_ms: Int64;
  execution_time_ms: Int64 | null;
  /** The trace state: OK, ERROR, IN_PROGRESS or STATE_UNSPECIFIED. */
  status: string;
  client_request_id: string | null;
  request_preview: string | null;
  response_preview: string | null;
}

export interface TraceKeyValueTable extends KeyValueTable {
  request_id: string;
}

export interface TraceRunLinksTable {
  request_id: string;
  run_id: string;
}

export interface UsersTable {
  user_id: string;
  /** Lower-case login name. */
  name: string;
  /** scrypt$... (see auth/passwords.ts). */
  password_hash: string;
  /** admin, member or viewer. */
  role: string;
  disabled: number;
  created_at: Int64;
  updated_at: Int64;
}

export interface ApiTokensTable {
  token_id: string;
  /** sha256 of the secret, hex; the secret itself is shown once and never stored. */
  token_hash: string;
  user_id: string;
  name: string;
  created_at: Int64;
  expires_at: Int64 | null;
  revoked_at: Int64 | null;
  last_used_at: Int64 | null;
}

export interface SessionsTable {
  session_hash: string;
  user_id: string;
  created_at: Int64;
  expires_at: Int64;
}

export interface BootstrapTokensTable {
  token_hash: string;
  created_at: Int64;
  expires_at: Int64;
}

export interface LoginFailuresTable {
  login_name: string;
  failures: number;
  first_failure_at: Int64;
  locked_until: Int64 | null;
}

export interface DeploymentsTable {
  name: string;
  model_name: string;
  /** JSON: [{"version": "3"} | {"alias": "champion"}, weight] targets; see store/deployments. */
  traffic: string;
  /** JSON target of the shadow copy, or null. */
  shadow: string | null;
  /** JSON of the traffic and shadow before the last change, for rollback. */
  previous: string | null;
  description: string | null;
  log_retention_days: number;
  /** Bumped on every change of the plan. */
  generation: Int64;
  /** PENDING, READY or FAILED, as the last serving process to load it reported. */
  status: string;
  status_message: string | null;
  /** JSON: the versions actually serving, with weights, as last reported. */
  serving: string | null;
  status_time: Int64;
  creation_time: Int64;
  last_updated_time: Int64;
}

/** The whole database, as Kysely queries see it. */
export interface DatasetRegistryTable {
  name: string;
  description: string | null;
  created_at: Int64;
  last_updated_at: Int64;
}

export interface DatasetVersionsTable {
  name: string;
  digest: string;
  version: number;
  size_bytes: Int64 | null;
  file_count: number | null;
  source: string | null;
  source_type: string;
  git_commit: string | null;
  created_by: string | null;
  created_at: Int64;
  mlflow_schema: string | null;
  mlflow_profile: string | null;
}

export interface DatasetFilesTable {
  name: string;
  digest: string;
  path: string;
  md5: string;
  size_bytes: Int64 | null;
  /** JSON profile of a table file (see datasets/profile.ts), or null for other files. */
  profile: string | null;
}

export interface LineageNodesTable {
  node_id: string;
  node_type: string;
  created_at: Int64;
}

export interface LineageEdgesTable {
  from_node: string;
  to_node: string;
  kind: string;
  created_at: Int64;
  ended_at: Int64 | null;
}

export interface MonitorsTable {
  name: string;
  description: string | null;
  /** JSON: the monitor's spec (see monitoring/monitors/spec.ts). */
  spec: string;
  schedule: string | null;
  /** JSON: the reference snapshot computed once (blob key, rows, columns), or null before the first run. */
  reference_state: string | null;
  /** A replica runs the monitor only while it holds the lease (one run per tick across replicas). */
  lease_until: Int64 | null;
  lease_owner: string | null;
  /** The schedule tick (epoch ms) last claimed. */
  last_tick: Int64 | null;
  last_run_id: string | null;
  last_run_at: Int64 | null;
  last_status: string | null;
  last_error: string | null;
  created_at: Int64;
  updated_at: Int64;
}

export interface MonitorRunsTable {
  run_id: string;
  monitor: string;
  trigger: string;
  /** ok or failed */
  status: string;
  error: string | null;
  started_at: Int64;
  finished_at: Int64;
  window_from: Int64 | null;
  window_to: Int64 | null;
  reference_rows: Int64 | null;
  current_rows: Int64 | null;
  /** JSON: the headline numbers. */
  summary: string;
  /** JSON: the whole result, histograms included. */
  detail: string | null;
}

export interface MonitorMetricsTable {
  monitor: string;
  run_id: string;
  time: Int64;
  metric: string;
  /** The column (or segment) the value is about; '' for the whole window. */
  column_name: string;
  value: number;
}

export interface AlertStatesTable {
  monitor: string;
  rule: string;
  consecutive: number;
  firing: number;
  since: Int64 | null;
  last_value: number | null;
  updated_at: Int64;
}

export interface AlertEventsTable {
  event_id: string;
  monitor: string;
  rule: string;
  /** firing or resolved */
  state: string;
  metric: string;
  column_name: string;
  comparator: string;
  threshold: number;
  value: number | null;
  run_id: string;
  time: Int64;
  /** JSON: what each channel answered. */
  deliveries: string;
}

export interface RetrainTriggersTable {
  trigger_id: string;
  monitor: string;
  rule: string;
  run_id: string;
  payload: string;
  created_at: Int64;
  consumed_at: Int64 | null;
}

/** One saved revision of a registered model's card: the editable sections as the author wrote them. */
export interface ModelCardRevisionsTable {
  name: string;
  revision: number;
  /** The model version the revision describes, or null for the model as a whole. */
  model_version: number | null;
  author: string | null;
  created_at: Int64;
  intended_use: string;
  out_of_scope_use: string;
  training_data: string;
  evaluation: string;
  owners: string;
  limitations: string;
  ethical_considerations: string;
  notes: string;
}

/** One audit entry: who changed what, when, from where; `hash` chains it to the entry before. */
export interface AuditEntriesTable {
  seq: Int64;
  time: Int64;
  actor: string;
  auth_method: string;
  action: string;
  verb: string;
  resource_kind: string;
  resource_id: string;
  client_address: string;
  request_id: string;
  summary: string;
  hash: string;
}

/** The audit chain's newest sequence number and hash (one row, id 1). */
export interface AuditChainHeadTable {
  id: number;
  last_seq: Int64;
  last_hash: string;
}

/** One user's permission on one resource (experiment id, or the name of a model, dataset, deployment or monitor). */
export interface ResourcePermissionsTable {
  resource_kind: string;
  resource_id: string;
  user_id: string;
  level: string;
  updated_at: Int64;
  /** The name of the user who set the grant, or null (CLI, creator grants). */
  updated_by: string | null;
}

export interface Database {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: RunKeyValueTable;
  tags: RunKeyValueTable;
  metrics: MetricsTable;
  latest_metrics: MetricsTable;
  datasets: DatasetsTable;
  inputs: InputsTable;
  input_tags: InputTagsTable;
  run_outputs: RunOutputsTable;
  logged_models: LoggedModelsTable;
  logged_model_params: LoggedModelKeyValueTable;
  logged_model_tags: LoggedModelKeyValueTable;
  logged_model_metrics: LoggedModelMetricsTable;
  registered_models: RegisteredModelsTable;
  registered_model_tags: RegisteredModelTagsTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  registered_model_aliases: RegisteredModelAliasesTable;
  trace_info: TraceInfoTable;
  trace_tags: TraceKeyValueTable;
  trace_request_metadata: TraceKeyValueTable;
  trace_run_links: TraceRunLinksTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  bootstrap_tokens: BootstrapTokensTable;
  login_failures: LoginFailuresTable;
  dataset_registry: DatasetRegistryTable;
  dataset_versions: DatasetVersionsTable;
  dataset_files: DatasetFilesTable;
  lineage_nodes: LineageNodesTable;
  lineage_edges: LineageEdgesTable;
  deployments: DeploymentsTable;
  monitors: MonitorsTable;
  monitor_runs: MonitorRunsTable;
  monitor_metrics: MonitorMetricsTable;
  alert_states: AlertStatesTable;
  alert_events: AlertEventsTable;
  retrain_triggers: RetrainTriggersTable;
  resource_permissions: ResourcePermissionsTable;
  audit_entries: AuditEntriesTable;
  audit_chain_head: AuditChainHeadTable;
  model_card_revisions: ModelCardRevisionsTable;
}
