/** SQL for managed deployments: one row each, the plan as JSON text, status as last reported. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, DeploymentsTable } from '../schema.js';

/** A deployment row as stored. */
export type DeploymentRow = Selectable<DeploymentsTable>;

/** The columns a create writes. */
export type NewDeploymentRow = Omit<DeploymentRow, 'status_message' | 'serving' | 'previous'>;

/** Insert a deployment; false when the name is taken. */
export async function insertDeployment(db: Kysely<Database>, row: NewDeploymentRow): Promise<boolean> {
  const result = await db
    .insertInto('deployments')
    .values({ ...row, status_message: null, serving: null, previous: null })
    .onConflict((c) => c.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** One deployment by name. */
export async function selectDeployment(db: Kysely<Database>, name: string): Promise<DeploymentRow | undefined> {
  return db.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Every deployment, by name; optionally only those of one model. */
export async function selectDeployments(db: Kysely<Database>, modelName?: string): Promise<DeploymentRow[]> {
  let query = db.selectFrom('deployments').selectAll();
  if (modelName !== undefined) query = query.where('model_name', '=', modelName);
  return query.orderBy('name').execute();
}

/**
 * Change the plan only if nobody else changed it since `generation` was read (optimistic lock),
 * so two concurrent updates cannot silently lose one. Returns false when the row moved on.
 */
export async function updateDeploymentPlan(
  db: Kysely<Database>,
  name: string,
  generation: number,
  plan: { traffic: string; shadow: string | null; previous: string | null; description: string | null; log_retention_days: number; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('deployments')
    .set({
      traffic: plan.traffic,
      shadow: plan.shadow,
      previous: plan.previous,
      description: plan.description,
      log_retention_days: plan.log_retention_days,
      generation: generation + 1,
      last_updated_time: plan.now,
    })
    .where('name', '=', name)
    .where('generation', '=', generation)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Record what a serving process managed to load (or why it could not). */
export async function updateDeploymentStatus(
  db: Kysely<Database>,
  name: string,
  status: { status: string; message: string | null; serving: string | null; now: number },
): Promise<void> {
  await db
    .updateTable('deployments')
    .set({ status: status.status, status_message: status.message, serving: status.serving, status_time: status.now })
    .where('name', '=', name)
    .execute();
}

/** Delete a deployment; false when there was none. */
export async function deleteDeployment(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db.deleteFrom('deployments').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
