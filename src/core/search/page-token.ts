/**
 * Page tokens as MLflow makes them: base64 of `{"offset": N}`. The client treats them as opaque
 * and passes them back verbatim.
 */
import { invalid } from '../errors.js';

/** Encode the offset of the next page. */
export function encodePageToken(offset: number, extra: Readonly<Record<string, unknown>> = {}): string {
  return Buffer.from(JSON.stringify({ offset, ...extra }), 'utf8').toString('base64');
}

/** The decoded JSON object of a token; throws INVALID_PARAMETER_VALUE when it is not one of ours. */
export function decodePageTokenObject(token: string): Record<string, unknown> & { offset: number } {
  // Buffer.from(..., 'base64') skips junk silently, so check the alphabet first.
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(token)) throw invalid('Invalid page token, could not base64-decode');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid page token, could not parse it as JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('Invalid page token, expected a JSON object');
  const offset = (parsed as Record<string, unknown>)['offset'];
  const asNumber = typeof offset === 'string' && /^\d+$/.test(offset) ? Number(offset) : offset;
  if (typeof asNumber !== 'number' || !Number.isSafeInteger(asNumber) || asNumber < 0) {
    throw invalid(`Invalid page token, offset ${JSON.stringify(offset)} is not a non-negative integer`);
  }
  return { ...(parsed as Record<string, unknown>), offset: asNumber };
}

/** The offset a page token names; an absent or empty token is the first page (offset 0). */
export function decodePageToken(token: string | undefined | null): number {
  if (token === undefined || token === null || token === '') return 0;
  return decodePageTokenObject(token).offset;
}
