/** API tokens: anyone signed in manages their own; admins manage everyone's. */
import { z } from 'zod';
import { DEFAULT_TOKEN_LIFETIME_MS, parseLifetime, type Principal } from '../../auth/index.js';
import { CairnError } from '../../core/errors.js';
import { route, type Route } from '../route.js';
import { isAdmin, principalOf, signedInUser } from './principal.js';
import { encodeToken, tokenOut } from './wire.js';

const TAG = 'Tokens';

/** The user a token request is about: yourself, or (admins only) the one named. */
function subjectOf(principal: Principal, named: string | undefined, what: string): string {
  if (named === undefined) return signedInUser(principal, what);
  if (principal.kind === 'user' && principal.name === named.trim().toLowerCase()) return principal.name;
  if (!isAdmin(principal)) throw new CairnError('PERMISSION_DENIED', `Permission denied: ${what} for another user needs the 'admin' permission`);
  return named;
}

export const tokenRoutes: Route[] = [
  // Access 'read': a viewer may make tokens for themself; a token never grants more than its user's role.
  route({
    method: 'POST', paths: ['/api/v1/tokens'], tag: TAG, access: 'read',
    permission: { none: "the caller's own API tokens (admins: anyone's, by role)" },
    summary: 'Create an API token (shown once in this answer, stored only as a hash)',
    body: z.object({ name: z.string().min(1), expires_in: z.string().optional(), user: z.string().optional() }),
    response: z.object({ token: z.string(), token_info: tokenOut }),
    handler: async ({ body, services, request }) => {
      const userName = subjectOf(principalOf(request), body.user, 'Creating a token');
      const lifetimeMs = body.expires_in === undefined ? DEFAULT_TOKEN_LIFETIME_MS : parseLifetime(body.expires_in);
      const created = await services.auth.tokens.create({ userName, name: body.name, lifetimeMs });
      return { token: created.token, token_info: encodeToken(created.view) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/tokens'], tag: TAG, access: 'read',
    permission: { none: "the caller's own API tokens (admins: anyone's, by role)" },
    summary: "List API tokens: your own, or (admins) one user's or everyone's",
    query: z.object({ user: z.string().optional() }),
    response: z.object({ tokens: z.array(tokenOut) }),
    handler: async ({ query, services, request }) => {
      const principal = principalOf(request);
      const userName = query.user === undefined && isAdmin(principal) ? undefined : subjectOf(principal, query.user, 'Listing tokens');
      return { tokens: (await services.auth.tokens.list(userName)).map(encodeToken) };
    },
  }),
  route({
    method: 'DELETE', paths: ['/api/v1/tokens/:token_id'], tag: TAG, access: 'read',
    permission: { none: "the caller's own API tokens (admins: anyone's, by role)" },
    summary: 'Revoke an API token: it stops working at once',
    params: z.object({ token_id: z.string().min(1) }),
    response: z.object({}),
    handler: async ({ params, services, request }) => {
      const principal = principalOf(request);
      const token = await services.auth.tokens.get(params.token_id);
      const own = principal.kind === 'user' && principal.userId === token.userId;
      // Someone else's token answers as missing, so token ids of others cannot be probed.
      if (!own && !isAdmin(principal)) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `Token '${params.token_id}' does not exist`);
      await services.auth.tokens.revoke(params.token_id);
      return {};
    },
  }),
];
