/**
 * SQL for monitors: the rows, and the lease that makes one replica the runner of a tick. The claim
 * is one conditional UPDATE, which SQLite and PostgreSQL both apply atomically, so no dialect needs
 * row locks of its own.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, MonitorsTable } from '../schema.js';

/** A monitor row as stored. */
export type MonitorRow = Selectable<MonitorsTable>;

/** What a create writes. */
export interface NewMonitorRow {
  name: string;
  description: string | null;
  spec: string;
  schedule: string | null;
  now: number;
}

/** Insert a monitor; false when the name is taken. */
export async function insertMonitor(db: Kysely<Database>, row: NewMonitorRow): Promise<boolean> {
  const result = await db
    .insertInto('monitors')
    .values({
      name: row.name, description: row.description, spec: row.spec, schedule: row.schedule, reference_state: null,
      lease_until: null, lease_owner: null, last_tick: null, last_run_id: null, last_run_at: null, last_status: null, last_error: null,
      created_at: row.now, updated_at: row.now,
    })
    .onConflict((c) => c.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** One monitor by name. */
export async function selectMonitor(db: Kysely<Database>, name: string): Promise<MonitorRow | undefined> {
  return db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Every monitor, by name. */
export async function selectMonitors(db: Kysely<Database>): Promise<MonitorRow[]> {
  return db.selectFrom('monitors').selectAll().orderBy('name').execute();
}

/** Replace the spec; `resetReference` drops the stored reference so the next run computes it again. */
export async function updateMonitorSpec(db: Kysely<Database>, name: string, change: { description: string | null; spec: string; schedule: string | null; resetReference: boolean; now: number }): Promise<boolean> {
  const result = await db
    .updateTable('monitors')
    .set({
      description: change.description,
      spec: change.spec,
      schedule: change.schedule,
      updated_at: change.now,
      ...(change.resetReference ? { reference_state: null } : {}),
    })
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Keep the reference snapshot computed once. */
export async function storeReferenceState(db: Kysely<Database>, name: string, state: string): Promise<void> {
  await db.updateTable('monitors').set({ reference_state: state }).where('name', '=', name).execute();
}

/**
 * Take the monitor's lease until `until`. With `tick`, only if that schedule tick was not claimed
 * yet, so of several replicas woken by the same tick exactly one runs it. True when this caller won.
 */
export async function claimMonitorLease(db: Kysely<Database>, name: string, claim: { owner: string; now: number; until: number; tick?: number }): Promise<boolean> {
  let query = db
    .updateTable('monitors')
    .set({ lease_until: claim.until, lease_owner: claim.owner, ...(claim.tick !== undefined ? { last_tick: claim.tick } : {}) })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', claim.now)]));
  if (claim.tick !== undefined) {
    const tick = claim.tick;
    query = query.where((eb) => eb.or([eb('last_tick', 'is', null), eb('last_tick', '<', tick)]));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Give the lease back and record how the run ended. */
export async function releaseMonitorLease(db: Kysely<Database>, name: string, owner: string, last: { runId: string; at: number; status: string; error: string | null }): Promise<void> {
  await db
    .updateTable('monitors')
    .set({ lease_until: null, lease_owner: null, last_run_id: last.runId, last_run_at: last.at, last_status: last.status, last_error: last.error })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Delete a monitor with its runs, metrics and alert state (alert history and retrain triggers stay as a record). */
export async function deleteMonitor(db: Kysely<Database>, name: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('monitor_metrics').where('monitor', '=', name).execute();
    await tx.deleteFrom('monitor_runs').where('monitor', '=', name).execute();
    await tx.deleteFrom('alert_states').where('monitor', '=', name).execute();
    const result = await tx.deleteFrom('monitors').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  });
}
