/** The principal of each request, set by the guard and read by handlers. */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/index.js';
import { CairnError } from '../../core/errors.js';

const principals = new WeakMap<FastifyRequest, Principal>();

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** Who made the request; anonymous until the guard says otherwise. */
export function principalOf(request: FastifyRequest): Principal {
  return principals.get(request) ?? { kind: 'anonymous', authEnabled: true };
}

/**
 * Whether the caller may manage other users' accounts and tokens: an admin, or anyone when
 * authentication is off (the server then only answers on loopback, to its own machine).
 */
export function isAdmin(principal: Principal): boolean {
  return (principal.kind === 'user' && principal.role === 'admin') || (principal.kind === 'anonymous' && !principal.authEnabled);
}

/** The signed-in user's name, or a 400 that says a user is needed (authentication off, bootstrap). */
export function signedInUser(principal: Principal, what: string): string {
  if (principal.kind === 'user') return principal.name;
  throw new CairnError('INVALID_PARAMETER_VALUE', `${what} needs a signed-in user: sign in, or name the user explicitly`);
}
