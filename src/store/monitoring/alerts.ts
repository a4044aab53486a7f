/** SQL for alert rule state, the alert history, and the retrain triggers pipelines consume. */
import type { Kysely, Selectable } from 'kysely';
import type { AlertEventsTable, AlertStatesTable, Database, RetrainTriggersTable } from '../schema.js';

export type AlertStateRow = Selectable<AlertStatesTable>;
export type AlertEventRow = Selectable<AlertEventsTable>;
export type RetrainTriggerRow = Selectable<RetrainTriggersTable>;

/** The state of every rule of a monitor. */
export async function selectAlertStates(db: Kysely<Database>, monitor: string): Promise<AlertStateRow[]> {
  return db.selectFrom('alert_states').selectAll().where('monitor', '=', monitor).execute();
}

/** Write a rule's state (insert or replace). */
export async function upsertAlertState(db: Kysely<Database>, row: AlertStateRow): Promise<void> {
  await db
    .insertInto('alert_states')
    .values(row)
    .onConflict((c) => c.columns(['monitor', 'rule']).doUpdateSet({ consecutive: row.consecutive, firing: row.firing, since: row.since, last_value: row.last_value, updated_at: row.updated_at }))
    .execute();
}

/** Forget the state of rules a monitor no longer has. */
export async function deleteAlertStatesExcept(db: Kysely<Database>, monitor: string, keep: readonly string[]): Promise<void> {
  let query = db.deleteFrom('alert_states').where('monitor', '=', monitor);
  if (keep.length > 0) query = query.where('rule', 'not in', keep);
  await query.execute();
}

/** Record an alert event. */
export async function insertAlertEvent(db: Kysely<Database>, row: AlertEventRow): Promise<void> {
  await db.insertInto('alert_events').values(row).execute();
}

/** Fill in what the channels answered, once delivery finished. */
export async function updateAlertDeliveries(db: Kysely<Database>, eventId: string, deliveries: string): Promise<void> {
  await db.updateTable('alert_events').set({ deliveries }).where('event_id', '=', eventId).execute();
}

/** Alert events, newest first, of one monitor or of all. */
export async function selectAlertEvents(db: Kysely<Database>, o: { monitor?: string | undefined; state?: string | undefined; before?: number | undefined; limit: number }): Promise<AlertEventRow[]> {
  let query = db.selectFrom('alert_events').selectAll();
  if (o.monitor !== undefined) query = query.where('monitor', '=', o.monitor);
  if (o.state !== undefined) query = query.where('state', '=', o.state);
  if (o.before !== undefined) query = query.where('time', '<', o.before);
  return query.orderBy('time', 'desc').orderBy('event_id', 'desc').limit(o.limit).execute();
}

/** Leave a retrain trigger for the pipelines capability. */
export async function insertRetrainTrigger(db: Kysely<Database>, row: RetrainTriggerRow): Promise<void> {
  await db.insertInto('retrain_triggers').values(row).execute();
}

/** Retrain triggers, oldest first; only unconsumed ones with `pending`. */
export async function selectRetrainTriggers(db: Kysely<Database>, o: { pending: boolean; limit: number }): Promise<RetrainTriggerRow[]> {
  let query = db.selectFrom('retrain_triggers').selectAll();
  if (o.pending) query = query.where('consumed_at', 'is', null);
  return query.orderBy('created_at').orderBy('trigger_id').limit(o.limit).execute();
}

/** Mark a trigger consumed; false when it was consumed already (or does not exist), so two consumers never both act on it. */
export async function consumeRetrainTrigger(db: Kysely<Database>, triggerId: string, now: number): Promise<boolean> {
  const result = await db.updateTable('retrain_triggers').set({ consumed_at: now }).where('trigger_id', '=', triggerId).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
