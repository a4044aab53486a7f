/**
 * Host and Origin checks. The Host allow-list defends a server without authentication against
 * DNS rebinding (CVE-2025-14279): a page on attacker.example whose name is re-pointed at
 * 127.0.0.1 still sends `Host: attacker.example`. An IP-literal Host cannot come from a rebound
 * name, so it always passes. CORS is closed unless origins are configured.
 */
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../../core/config.js';
import { CairnError } from '../../core/errors.js';

/** The host name of a Host header value, without port or IPv6 brackets, lower-case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

function hostMatches(name: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
  return hostName(pattern) === name;
}

/** Refuse a request whose Host header is not allowed. */
export function checkHost(request: FastifyRequest, allowed: ServerConfig['allowedHosts']): void {
  if (allowed === 'any') return;
  const name = hostName(request.headers.host ?? '');
  if (isIP(name) !== 0) return;
  if (allowed.some((pattern) => hostMatches(name, pattern))) return;
  throw new CairnError(
    'PERMISSION_DENIED',
    `Host '${request.headers.host ?? ''}' is not allowed (DNS-rebinding protection); start the server with --allowed-hosts ${name || '<name>'} to allow it`,
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a method only reads (so needs no CSRF or Origin check). */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

function sameOrigin(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host.toLowerCase() === (request.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

const ALLOWED_HEADERS = 'authorization, content-type, x-csrf-token';
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/**
 * CORS and cross-site writes. Answers a preflight itself (returns true when it did). Cross-origin
 * state-changing requests from origins not configured are refused: browsers attach cached Basic
 * credentials to them, which would make them a CSRF channel.
 */
export async function handleCors(request: FastifyRequest, reply: FastifyReply, origins: readonly string[]): Promise<boolean> {
  const origin = request.headers.origin;
  if (!origin) return false;
  const allowed = origins.includes(origin.replace(/\/+$/, '').toLowerCase());
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (preflight) {
    if (!allowed) throw new CairnError('PERMISSION_DENIED', `Cross-origin requests from ${origin} are not allowed; start the server with --cors-origin ${origin} to allow them`);
    await reply
      .code(204)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', ALLOWED_METHODS)
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', '600')
      .header('vary', 'Origin')
      .send();
    return true;
  }
  if (allowed) {
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  } else if (!isSafeMethod(request.method) && !sameOrigin(origin, request)) {
    throw new CairnError('PERMISSION_DENIED', `Cross-origin ${request.method} from ${origin} refused; start the server with --cors-origin ${origin} to allow it`);
  }
  return false;
}
