/**
 * Who is calling, and what they may do. Roles grant permissions on every resource today; a
 * request names the resource it touches (`AccessRequest.resource`) so per-resource grants can
 * be checked here later without changing the callers.
 */

/** The roles, weakest first. */
export const ROLES = ['viewer', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a request needs: read (viewers), write (members) or admin (user management). */
export type Permission = 'read' | 'write' | 'admin';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  viewer: ['read'],
  member: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
});

/** How a user proved who they are. */
export type CredentialKind = 'password' | 'token' | 'session';

/** The caller of a request. */
export type Principal =
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly name: string;
      readonly role: Role;
      readonly via: CredentialKind;
      /** The API token used, for rate limits and "last used" (via 'token'). */
      readonly tokenId?: string;
      /** The session's stored hash (via 'session'), to sign out and check the CSRF token. */
      readonly sessionHash?: string;
    }
  /** No credentials: with authentication off the local caller may do everything, with it on nothing but public routes. */
  | { readonly kind: 'anonymous'; readonly authEnabled: boolean }
  /** The holder of the one-time bootstrap token: may only create the first admin. */
  | { readonly kind: 'bootstrap'; readonly tokenHash: string };

/** A resource a request touches, for per-resource permissions. */
export interface ResourceRef {
  readonly kind: string;
  readonly id: string;
}

/** What one request needs. */
export interface AccessRequest {
  readonly permission: Permission;
  readonly resource?: ResourceRef;
}

/** The answer to "may this principal do that": allowed, or why not. */
export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: 'unauthenticated' | 'forbidden'; readonly message: string };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether a role holds a permission. */
export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Decide whether the principal may make the request; the message names the missing permission. */
export function authorize(principal: Principal, request: AccessRequest): Decision {
  switch (principal.kind) {
    case 'anonymous':
      return principal.authEnabled
        ? { allowed: false, reason: 'unauthenticated', message: 'Authentication required: send HTTP Basic credentials or a Bearer API token, or sign in' }
        : { allowed: true };
    case 'bootstrap':
      return request.permission === 'admin'
        ? { allowed: true }
        : { allowed: false, reason: 'forbidden', message: "Permission denied: the bootstrap token may only create the first admin (POST /api/v1/users)" };
    case 'user': {
      if (roleGrants(principal.role, request.permission)) return { allowed: true };
      const what = request.resource ? ` on ${request.resource.kind} '${request.resource.id}'` : '';
      return {
        allowed: false,
        reason: 'forbidden',
        message: `Permission denied: this request needs the '${request.permission}' permission${what}; user '${principal.name}' has role '${principal.role}', which grants ${GRANTS[principal.role].join(', ')}`,
      };
    }
  }
}
