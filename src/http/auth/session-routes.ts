/** Sign in and out with a session cookie (the web UI), who am I, and change my own password. */
import { z } from 'zod';
import { csrfTokenFor, SESSION_LIFETIME_MS } from '../../auth/index.js';
import { route, type Route } from '../route.js';
import { setSessionCookie } from './headers.js';
import { principalOf, signedInUser } from './principal.js';
import { encodeUser, userOut } from './wire.js';

const TAG = 'Authentication';

export const sessionRoutes: Route[] = [
  route({
    method: 'POST', paths: ['/api/v1/auth/login'], tag: TAG, access: 'public', audit: 'after',
    permission: { none: "the caller's own session and password" },
    summary: 'Sign in: sets an HttpOnly, SameSite=Strict session cookie and returns the CSRF token to send as X-CSRF-Token',
    body: z.object({ username: z.string().min(1), password: z.string().min(1) }),
    response: z.object({ user: userOut, csrf_token: z.string(), expires_at: z.number() }),
    handler: async ({ body, services, request, reply }) => {
      const signIn = await services.auth.sessions.signIn(body.username, body.password);
      setSessionCookie(request, reply, signIn.sessionToken, Math.floor(SESSION_LIFETIME_MS / 1000));
      return { user: encodeUser(signIn.user), csrf_token: signIn.csrfToken, expires_at: signIn.expiresAt };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/auth/logout'], tag: TAG, access: 'read',
    permission: { none: "the caller's own session and password" },
    summary: 'Sign out: ends the session and clears its cookie',
    response: z.object({}),
    handler: async ({ services, request, reply }) => {
      const principal = principalOf(request);
      if (principal.kind === 'user' && principal.sessionHash) await services.auth.sessions.signOut(principal.sessionHash);
      setSessionCookie(request, reply, '', 0);
      return {};
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/auth/me'], tag: TAG, access: 'read',
    permission: { none: "the caller's own session and password" },
    summary: 'The caller: user, role, how they signed in, and the CSRF token of a cookie session',
    response: z.object({
      auth_enabled: z.boolean(),
      user: userOut.nullable(),
      via: z.enum(['password', 'token', 'session']).nullable(),
      csrf_token: z.string().optional(),
    }),
    handler: async ({ services, request }) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') return { auth_enabled: services.config.authEnabled, user: null, via: null };
      const user = await services.auth.users.get(principal.name);
      return {
        auth_enabled: services.config.authEnabled,
        user: encodeUser(user),
        via: principal.via,
        ...(principal.sessionHash ? { csrf_token: csrfTokenFor(principal.sessionHash) } : {}),
      };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/auth/password'], tag: TAG, access: 'read', audit: 'after',
    permission: { none: "the caller's own session and password" },
    summary: 'Change your own password (the current one is checked; lock-out applies)',
    body: z.object({ current_password: z.string().min(1), new_password: z.string().min(1) }),
    response: z.object({}),
    handler: async ({ body, services, request }) => {
      const name = signedInUser(principalOf(request), 'Changing a password');
      await services.auth.authenticator.checkPassword(name, body.current_password);
      await services.auth.users.setPassword(name, body.new_password);
      return {};
    },
  }),
];
