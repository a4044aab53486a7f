/** Reading credentials from requests, and the session cookie. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CairnError } from '../../core/errors.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'cairn_session';
/** The header a session-authenticated state-changing request carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** What the request presents: HTTP Basic, a Bearer token, a session cookie, or nothing. */
export type Presented =
  | { readonly kind: 'basic'; readonly name: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'session'; readonly token: string }
  | { readonly kind: 'none' };

function malformed(why: string): CairnError {
  return new CairnError('UNAUTHENTICATED', `Malformed Authorization header: ${why}`);
}

/** The credentials a request carries; the Authorization header wins over the cookie. */
export function presentedCredentials(request: FastifyRequest): Presented {
  const header = request.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') {
      if (!value) throw malformed('the Bearer token is empty');
      return { kind: 'bearer', token: value };
    }
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) throw malformed('Basic credentials must be base64 of "user:password"');
      return { kind: 'basic', name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    throw malformed(`scheme '${scheme}' is not supported; use Basic or Bearer`);
  }
  const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
  return session ? { kind: 'session', token: session } : { kind: 'none' };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Set (or with maxAgeSeconds 0, clear) the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`);
}
