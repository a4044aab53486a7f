/** SQL for users: insert, look up by name or id, list, and change role, password or disabled flag. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../schema.js';

/** A user row as the auth domain sees it. */
export interface UserRecord {
  userId: string;
  name: string;
  passwordHash: string;
  role: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    userId: row.user_id,
    name: row.name,
    passwordHash: row.password_hash,
    role: row.role,
    disabled: Number(row.disabled) !== 0,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Insert a user; false when the name is taken (checked and inserted in one transaction). */
export async function insertUser(db: Kysely<Database>, user: Omit<UserRecord, 'updatedAt'>): Promise<boolean> {
  try {
    return await db.transaction().execute(async (tx) => {
      const taken = await tx.selectFrom('users').select('user_id').where('name', '=', user.name).executeTakeFirst();
      if (taken) return false;
      await tx
        .insertInto('users')
        .values({
          user_id: user.userId,
          name: user.name,
          password_hash: user.passwordHash,
          role: user.role,
          disabled: user.disabled ? 1 : 0,
          created_at: user.createdAt,
          updated_at: user.createdAt,
        })
        .execute();
      return true;
    });
  } catch (error) {
    // Two replicas inserting the same name at once: the unique index decides.
    const exists = await selectUserByName(db, user.name);
    if (exists) return false;
    throw error;
  }
}

export async function selectUserByName(db: Kysely<Database>, name: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function selectUserById(db: Kysely<Database>, userId: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function selectUsers(db: Kysely<Database>): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Admins that are not disabled: the last one may not be demoted or disabled. */
export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Change some of a user's fields; false when there is no such user. */
export async function updateUser(
  db: Kysely<Database>,
  name: string,
  change: { role?: string; passwordHash?: string; disabled?: boolean; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      updated_at: change.now,
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.passwordHash !== undefined ? { password_hash: change.passwordHash } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled ? 1 : 0 } : {}),
    })
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
