/** User accounts: create, list, change role or password, disable, unlock. */
import { randomUUID } from 'node:crypto';
import { alreadyExists, CairnError, invalid, notFound } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { deleteSessions } from '../store/auth/credentials.js';
import { countActiveAdmins, countUsers, insertUser, selectUserByName, selectUsers, updateUser, type UserRecord } from '../store/auth/users.js';
import type { Lockout } from './lockout.js';
import { hashPassword } from './passwords.js';
import { checkPasswordPolicy, checkUserName, normalizeUserName } from './policy.js';
import { isRole, type Role } from './roles.js';

/** A user as callers see it: never the password hash. */
export interface UserView {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A stored role, read defensively: an unknown value grants the least. */
export function roleOf(record: UserRecord): Role {
  return isRole(record.role) ? record.role : 'viewer';
}

export function viewOf(record: UserRecord): UserView {
  return { userId: record.userId, name: record.name, role: roleOf(record), disabled: record.disabled, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

function checkRole(role: string): Role {
  if (!isRole(role)) throw invalid(`Role '${role}' is not valid: use admin, member or viewer`);
  return role;
}

export class Users {
  constructor(
    private readonly db: Db,
    private readonly lockout: Lockout,
    private readonly now: () => number,
  ) {}

  /** Create a user; the password must pass the policy. */
  async create(input: { name: string; password: string; role: string }): Promise<UserView> {
    const name = checkUserName(input.name);
    const role = checkRole(input.role);
    checkPasswordPolicy(input.password, name);
    const now = this.now();
    const record: UserRecord = { userId: randomUUID().replaceAll('-', ''), name, passwordHash: await hashPassword(input.password), role, disabled: false, createdAt: now, updatedAt: now };
    if (!(await insertUser(this.db.kysely, record))) throw alreadyExists(`User '${name}' already exists`);
    return viewOf(record);
  }

  async list(): Promise<UserView[]> {
    return (await selectUsers(this.db.kysely)).map(viewOf);
  }

  async get(name: string): Promise<UserView> {
    return viewOf(await this.record(name));
  }

  /** How many users exist: none means the server still needs its first admin. */
  count(): Promise<number> {
    return countUsers(this.db.kysely);
  }

  async setRole(name: string, role: string): Promise<UserView> {
    const user = await this.record(name);
    const next = checkRole(role);
    if (next !== 'admin') await this.keepOneAdmin(user, `change the role of '${user.name}'`);
    await updateUser(this.db.kysely, user.name, { role: next, now: this.now() });
    return this.get(user.name);
  }

  /** Set a new password (policy checked); the user's browser sessions end, API tokens stay. */
  async setPassword(name: string, password: string): Promise<void> {
    const user = await this.record(name);
    checkPasswordPolicy(password, user.name);
    await updateUser(this.db.kysely, user.name, { passwordHash: await hashPassword(password), now: this.now() });
    await deleteSessions(this.db.kysely, user.userId, this.now());
  }

  /** Disable or re-enable a user; a disabled user's passwords, tokens and sessions stop working. */
  async setDisabled(name: string, disabled: boolean): Promise<UserView> {
    const user = await this.record(name);
    if (disabled) await this.keepOneAdmin(user, `disable '${user.name}'`);
    await updateUser(this.db.kysely, user.name, { disabled, now: this.now() });
    if (disabled) await deleteSessions(this.db.kysely, user.userId, this.now());
    return this.get(user.name);
  }

  /** Lift a lock-out on a login name now. */
  async unlock(name: string): Promise<void> {
    await this.lockout.clear(normalizeUserName(name));
  }

  async record(name: string): Promise<UserRecord> {
    const user = await selectUserByName(this.db.kysely, normalizeUserName(name));
    if (!user) throw notFound(`User '${name}' does not exist`);
    return user;
  }

  // Without an enabled admin nobody could manage users again short of editing the database.
  private async keepOneAdmin(user: UserRecord, what: string): Promise<void> {
    if (user.role === 'admin' && !user.disabled && (await countActiveAdmins(this.db.kysely)) <= 1) {
      throw new CairnError('INVALID_STATE', `Cannot ${what}: it is the last enabled admin`);
    }
  }
}
