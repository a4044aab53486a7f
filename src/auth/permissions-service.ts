/**
 * Grants on resources and the decisions made from them: a user's level on a resource, whether a
 * principal may act, which ids a search may return, and the grant a creator receives.
 */
import { nowMs } from '../core/clock.js';
import { CairnError, invalid, notFound } from '../core/errors.js';
import type { Db } from '../store/db.js';
import * as store from '../store/auth/permissions.js';
import { selectUserByName } from '../store/auth/users.js';
import { atLeast, effectiveLevel, isLevel, LEVELS, type Level, type Readable, type ResourceKind } from './permissions.js';
import { isRole, type Principal } from './roles.js';

/** One grant as the API shows it. */
export interface GrantView {
  readonly resourceType: ResourceKind;
  readonly resourceId: string;
  readonly user: string;
  readonly permission: Level;
  readonly updatedAt: number;
  readonly updatedBy: string | null;
}

/** A signed-in user's identity as permission checks need it. */
type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Whether the principal is subject to per-resource permissions (false: allowed everything, or nothing). */
function asUser(principal: Principal): UserPrincipal | undefined {
  return principal.kind === 'user' ? principal : undefined;
}

/** Admins, and anyone when authentication is off (the local caller), as the role check does. */
export function unrestricted(principal: Principal): boolean {
  return (principal.kind === 'anonymous' && !principal.authEnabled) || (principal.kind === 'user' && principal.role === 'admin');
}

function toView(g: store.GrantRecord): GrantView {
  return {
    resourceType: g.resourceKind as ResourceKind,
    resourceId: g.resourceId,
    user: g.userName,
    permission: isLevel(g.level) ? g.level : 'NONE',
    updatedAt: g.updatedAt,
    updatedBy: g.updatedBy,
  };
}

/** Per-resource permissions over the grants table, with the server's default for users without a grant. */
export class Permissions {
  constructor(
    private readonly db: Db,
    readonly defaultLevel: Level,
    private readonly now: () => number = nowMs,
  ) {}

  /** The lowest level the principal holds across the resources (a path inside several experiments needs them all). */
  async levelOn(principal: Principal, kind: ResourceKind, ids: readonly string[]): Promise<Level> {
    if (unrestricted(principal)) return 'MANAGE';
    const user = asUser(principal);
    if (!user) return 'NONE';
    const role = isRole(user.role) ? user.role : 'viewer';
    if (role === 'admin') return 'MANAGE';
    const granted = await store.selectLevels(this.db.kysely, user.userId, kind, ids);
    let lowest: Level = 'MANAGE';
    for (const id of ids) {
      const level = granted.get(id);
      const effective = effectiveLevel(role, level !== undefined && isLevel(level) ? level : undefined, this.defaultLevel);
      if (!atLeast(effective, lowest)) lowest = effective;
    }
    return lowest;
  }

  /** Whether the principal holds at least `need` on every one of the resources. */
  async allows(principal: Principal, kind: ResourceKind, ids: readonly string[], need: Level): Promise<boolean> {
    return atLeast(await this.levelOn(principal, kind, ids), need);
  }

  /**
   * Which ids of a kind the principal may read. Lists of exceptions, never of everything: with a
   * default of READ or more only the NONE grants are left out; with NONE only grants of READ or more count.
   */
  async readable(principal: Principal, kind: ResourceKind): Promise<Readable> {
    if (unrestricted(principal)) return { all: true };
    const user = asUser(principal);
    if (!user) return { only: [] };
    if (atLeast(this.defaultLevel, 'READ')) return { except: await store.selectIdsWithLevels(this.db.kysely, user.userId, kind, ['NONE']) };
    return { only: await store.selectIdsWithLevels(this.db.kysely, user.userId, kind, LEVELS.filter((l) => l !== 'NONE')) };
  }

  /** Give the creator of a new resource MANAGE, replacing grants left from an earlier resource of that name. */
  async grantCreator(principal: Principal, kind: ResourceKind, id: string): Promise<void> {
    await store.deleteGrantsOn(this.db.kysely, kind, id);
    const user = asUser(principal);
    if (!user) return;
    await store.upsertGrant(this.db.kysely, { resourceKind: kind, resourceId: id, userId: user.userId, level: 'MANAGE', updatedAt: this.now(), updatedBy: null });
  }

  /** Set a user's level on a resource; `by` names who did it (absent from the CLI). */
  async grant(kind: ResourceKind, id: string, userName: string, level: Level, by?: string): Promise<GrantView> {
    const userId = await this.userIdOf(userName);
    await store.upsertGrant(this.db.kysely, { resourceKind: kind, resourceId: id, userId, level, updatedAt: this.now(), updatedBy: by ?? null });
    const [view] = (await store.selectGrants(this.db.kysely, { kind, id, userId })).map(toView);
    if (!view) throw new CairnError('INTERNAL_ERROR', `the grant of ${level} on ${kind} '${id}' to '${userName}' was not stored`);
    return view;
  }

  /** Remove a user's grant on a resource (they fall back to the default permission). */
  async revoke(kind: ResourceKind, id: string, userName: string): Promise<void> {
    const userId = await this.userIdOf(userName);
    if (!(await store.deleteGrant(this.db.kysely, kind, id, userId))) {
      throw notFound(`User '${userName}' has no permission grant on ${kind} '${id}'`);
    }
  }

  /** The grant one user holds on a resource, if any. */
  async grantOf(kind: ResourceKind, id: string, userName: string): Promise<GrantView | undefined> {
    const userId = await this.userIdOf(userName);
    return (await store.selectGrants(this.db.kysely, { kind, id, userId })).map(toView)[0];
  }

  /** Grants on a resource, on all resources of a kind, or of one user. */
  async list(filter: { kind?: ResourceKind | undefined; id?: string | undefined; user?: string | undefined }): Promise<GrantView[]> {
    const userId = filter.user === undefined ? undefined : await this.userIdOf(filter.user);
    return (await store.selectGrants(this.db.kysely, { kind: filter.kind, id: filter.id, userId })).map(toView);
  }

  /** A resource is gone for good: its grants must not pass to a new one of the same name. */
  async forget(kind: ResourceKind, id: string): Promise<void> {
    await store.deleteGrantsOn(this.db.kysely, kind, id);
  }

  /** A resource keyed by name was renamed: its grants follow it. */
  async rename(kind: ResourceKind, from: string, to: string): Promise<void> {
    if (from !== to) await store.moveGrants(this.db.kysely, kind, from, to);
  }

  /** The experiments whose artifact location holds an `mlflow-artifacts:/` URI (owner look-up for artifact routes). */
  experimentsHolding(uri: string): Promise<string[]> {
    return store.selectExperimentsHolding(this.db.kysely, uri);
  }

  /** The monitor that left a retrain trigger (owner look-up for consuming it). */
  monitorOfTrigger(triggerId: string): Promise<string | undefined> {
    return store.selectMonitorOfTrigger(this.db.kysely, triggerId);
  }

  private async userIdOf(name: string): Promise<string> {
    if (name.trim() === '') throw invalid("Missing value for required parameter 'username'");
    const user = await selectUserByName(this.db.kysely, name);
    if (!user) throw notFound(`User '${name}' does not exist`);
    return user.userId;
  }
}
