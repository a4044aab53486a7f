/**
 * SQL for per-resource permission grants, and the owner look-ups permission checks need (which
 * experiments hold an artifact path, which monitor left a retrain trigger).
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../schema.js';

/** One grant, with the user's name for display. */
export interface GrantRecord {
  resourceKind: string;
  resourceId: string;
  userId: string;
  userName: string;
  level: string;
  updatedAt: number;
  updatedBy: string | null;
}

/** The levels one user holds on the given resources of a kind, by resource id. */
export async function selectLevels(db: Kysely<Database>, userId: string, kind: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('resource_permissions')
    .select(['resource_id', 'level'])
    .where('user_id', '=', userId)
    .where('resource_kind', '=', kind)
    .where('resource_id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.resource_id, r.level]));
}

/** Ids of one kind on which the user's grant is one of `levels` (for search filters). */
export async function selectIdsWithLevels(db: Kysely<Database>, userId: string, kind: string, levels: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('resource_permissions')
    .select('resource_id')
    .where('user_id', '=', userId)
    .where('resource_kind', '=', kind)
    .where('level', 'in', [...levels])
    .execute();
  return rows.map((r) => r.resource_id);
}

/** Set a user's level on a resource, replacing any grant they had there. */
export async function upsertGrant(
  db: Kysely<Database>,
  grant: { resourceKind: string; resourceId: string; userId: string; level: string; updatedAt: number; updatedBy: string | null },
): Promise<void> {
  await db
    .insertInto('resource_permissions')
    .values({
      resource_kind: grant.resourceKind,
      resource_id: grant.resourceId,
      user_id: grant.userId,
      level: grant.level,
      updated_at: grant.updatedAt,
      updated_by: grant.updatedBy,
    })
    .onConflict((oc) =>
      oc.columns(['resource_kind', 'resource_id', 'user_id']).doUpdateSet({ level: grant.level, updated_at: grant.updatedAt, updated_by: grant.updatedBy }),
    )
    .execute();
}

/** Remove one user's grant on a resource; false when there was none. */
export async function deleteGrant(db: Kysely<Database>, kind: string, id: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('resource_permissions')
    .where('resource_kind', '=', kind)
    .where('resource_id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Remove every grant on a resource (it was deleted, or a new one takes its name). */
export async function deleteGrantsOn(db: Kysely<Database>, kind: string, id: string): Promise<void> {
  await db.deleteFrom('resource_permissions').where('resource_kind', '=', kind).where('resource_id', '=', id).execute();
}

/** Move every grant from one resource id to another (a registered model was renamed). */
export async function moveGrants(db: Kysely<Database>, kind: string, from: string, to: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('resource_permissions').where('resource_kind', '=', kind).where('resource_id', '=', to).execute();
    await tx.updateTable('resource_permissions').set({ resource_id: to }).where('resource_kind', '=', kind).where('resource_id', '=', from).execute();
  });
}

/** Grants on one resource, or on every resource of a kind, or held by one user; newest change last. */
export async function selectGrants(db: Kysely<Database>, where: { kind?: string | undefined; id?: string | undefined; userId?: string | undefined }): Promise<GrantRecord[]> {
  let query = db
    .selectFrom('resource_permissions as p')
    .innerJoin('users as u', 'u.user_id', 'p.user_id')
    .select(['p.resource_kind', 'p.resource_id', 'p.user_id', 'u.name', 'p.level', 'p.updated_at', 'p.updated_by']);
  if (where.kind !== undefined) query = query.where('p.resource_kind', '=', where.kind);
  if (where.id !== undefined) query = query.where('p.resource_id', '=', where.id);
  if (where.userId !== undefined) query = query.where('p.user_id', '=', where.userId);
  const rows = await query.orderBy('p.resource_kind').orderBy('p.resource_id').orderBy('u.name').execute();
  return rows.map((r) => ({
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    userId: r.user_id,
    userName: r.name,
    level: r.level,
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  }));
}

/**
 * Experiments whose artifact location holds `uri` (an `mlflow-artifacts:/...` URI). Usually one;
 * several when a client chose a location inside another experiment's, and then each must allow.
 */
export async function selectExperimentsHolding(db: Kysely<Database>, uri: string): Promise<string[]> {
  // A prefix test without LIKE, so '%' and '_' in locations mean themselves on both dialects.
  const rows = await db
    .selectFrom('experiments')
    .select('experiment_id')
    .where(sql<SqlBool>`artifact_location = ${uri} or substr(${uri}, 1, length(artifact_location) + 1) = artifact_location || '/'`)
    .execute();
  return rows.map((r) => String(r.experiment_id));
}

/** The monitor that left a retrain trigger, if the trigger exists. */
export async function selectMonitorOfTrigger(db: Kysely<Database>, triggerId: string): Promise<string | undefined> {
  const row = await db.selectFrom('retrain_triggers').select('monitor').where('trigger_id', '=', triggerId).executeTakeFirst();
  return row?.monitor;
}
