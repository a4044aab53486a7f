/** SQL for failed sign-ins per login name (existing or not), which drive the lock-out. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The failure count of a name within the current window, and until when it is locked. */
export interface FailureRecord {
  failures: number;
  firstFailureAt: number;
  lockedUntil: number | null;
}

export async function selectFailures(db: Kysely<Database>, loginName: string): Promise<FailureRecord | undefined> {
  const row = await db.selectFrom('login_failures').selectAll().where('login_name', '=', loginName).executeTakeFirst();
  if (!row) return undefined;
  return {
    failures: Number(row.failures),
    firstFailureAt: Number(row.first_failure_at),
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
  };
}

/** Write the name's new failure state (insert or replace). */
export async function saveFailures(db: Kysely<Database>, loginName: string, record: FailureRecord): Promise<void> {
  const values = { failures: record.failures, first_failure_at: record.firstFailureAt, locked_until: record.lockedUntil };
  await db
    .insertInto('login_failures')
    .values({ login_name: loginName, ...values })
    .onConflict((oc) => oc.column('login_name').doUpdateSet(values))
    .execute();
}

/** Forget a name's failures: after a successful sign-in, or when an admin unlocks it. */
export async function clearFailures(db: Kysely<Database>, loginName: string): Promise<void> {
  await db.deleteFrom('login_failures').where('login_name', '=', loginName).execute();
}

/** Drop failure rows older than `before` that hold no lock, so guessed names do not pile up. */
export async function pruneFailures(db: Kysely<Database>, before: number): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('first_failure_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
    .execute();
}
