import { nowMs } from '../core/clock.js';
import { invalid } from '../core/errors.js';
import { lineageNode, type LineageRecorder } from '../core/lineage.js';
import type { Db } from '../store/db.js';
import { insertRunInputs, type DatasetInputWrite } from '../store/tracking/inputs.js';
import type { Runs } from './runs.js';
import { LIMITS } from './validation.js';

export type { DatasetInputWrite };

function checkLength(value: string | undefined, limit: number, field: string): void {
  if (value !== undefined && value.length > limit) {
    throw invalid(`Invalid value for parameter '${field}': length ${value.length} exceeds the limit of ${limit}`);
  }
}

/** Datasets and models a run used (`mlflow.log_input`). */
export class RunInputs {
  constructor(
    private readonly db: Db,
    private readonly runs: Runs,
    private readonly lineage: LineageRecorder,
  ) {}

  async log(runId: string, datasets: DatasetInputWrite[], modelIds: string[]): Promise<void> {
    datasets.forEach((input, i) => {
      const d = input.dataset;
      const at = `datasets[${i}].dataset`;
      checkLength(d.name, LIMITS.datasetName, `${at}.name`);
      checkLength(d.digest, LIMITS.datasetDigest, `${at}.digest`);
      checkLength(d.source, LIMITS.datasetSource, `${at}.source`);
      checkLength(d.schema, LIMITS.datasetSchema, `${at}.schema`);
      checkLength(d.profile, LIMITS.datasetProfile, `${at}.profile`);
      for (const t of input.tags) {
        checkLength(t.key, LIMITS.inputTagKey, `datasets[${i}].tags.key`);
        checkLength(t.value, LIMITS.inputTagValue, `datasets[${i}].tags.value`);
      }
    });
    const info = await this.runs.activeInfo(runId);
    await insertRunInputs(this.db.kysely, runId, info.experimentId, datasets, modelIds, nowMs());
    // After the commit: re-logging the same inputs is a no-op above and records again here.
    for (const { dataset: d } of datasets) {
      const fromFacts: Record<string, string> = { source: d.source, source_type: d.sourceType, created_by: info.userId };
      if (d.schema !== undefined) fromFacts['schema'] = d.schema;
      if (d.profile !== undefined) fromFacts['profile'] = d.profile;
      await this.lineage.record({ from: lineageNode.dataset(d.name, d.digest), to: lineageNode.run(runId), kind: 'input', fromFacts });
    }
    for (const modelId of modelIds) await this.lineage.record({ from: lineageNode.loggedModel(modelId), to: lineageNode.run(runId), kind: 'input' });
  }
}
