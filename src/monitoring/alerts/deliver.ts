/**
 * POST a JSON body to an outbound URL: the URL check first (core/outbound), then the request with
 * a timeout, retried with exponential backoff on network errors, 429 and 5xx. The request uses
 * node:http(s) rather than fetch because its `lookup` hook pins the connection to the addresses
 * the check approved: a host name cannot resolve to a public address for the check and to a
 * private one for the connection (DNS rebinding).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkOutboundUrl, type OutboundAllowList, type Resolve } from '../../core/outbound.js';

/** Timeouts, retries and the allow-list. */
export interface DeliveryOptions {
  allow: OutboundAllowList;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  resolve?: Resolve;
}

/** The defaults: 5 s per attempt, 3 attempts, 0.5 s then 1 s between them. */
export const DELIVERY_DEFAULTS = Object.freeze({ timeoutMs: 5000, attempts: 3, backoffMs: 500 });

/** How one delivery went. */
export interface DeliveryResult {
  ok: boolean;
  status: number | null;
  attempts: number;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: typeof entries) => void)(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  };
}

function postOnce(url: URL, addresses: readonly string[], body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'cairn-alerts', ...headers },
        lookup: pinnedLookup(addresses),
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** POST `body` to `url`; never throws: a refusal or the last failure is in the result. */
export async function postJson(url: string, body: string, headers: Record<string, string>, options: DeliveryOptions): Promise<DeliveryResult> {
  let checked;
  try {
    checked = await checkOutboundUrl(url, options.allow, options.resolve);
  } catch (error) {
    return { ok: false, status: null, attempts: 0, error: (error as Error).message };
  }
  let last: DeliveryResult = { ok: false, status: null, attempts: 0 };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) await sleep(options.backoffMs * 2 ** (attempt - 2));
    try {
      const status = await postOnce(checked.url, checked.addresses, body, headers, options.timeoutMs);
      if (status >= 200 && status < 300) return { ok: true, status, attempts: attempt };
      last = { ok: false, status, attempts: attempt, error: `HTTP ${status}` };
      if (status !== 429 && status < 500) return last;
    } catch (error) {
      last = { ok: false, status: null, attempts: attempt, error: (error as Error).message };
    }
  }
  return last;
}
