/** Same-origin JSON calls to cairn's MLflow-compatible REST API. */

/** The prefix MLflow's own UI uses for tracking and registry calls. */
export const AJAX_API = '/ajax-api/2.0/mlflow';

/** The prefix of the proxied artifact store. */
export const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';

/** An error answered by the server, carrying its MLflow error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValue = string | number | readonly string[] | undefined;

const CSRF_KEY = 'cairn.csrf';

/** Remember the CSRF token sign-in returned; state-changing requests with the session cookie send it. */
export function setCsrfToken(token: string | null): void {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

/** Headers for a request: JSON, and the CSRF token on anything but GET. */
function headersFor(method: string, json: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (json) headers['Content-Type'] = 'application/json';
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  return headers;
}

/** Fired on window when the server answers 401: the app then shows its sign-in page. */
export const SIGN_IN_NEEDED = 'cairn:sign-in-needed';

/** Builds a query string where arrays become repeated keys, as MLflow expects. */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function readError(response: Response): Promise<ApiError> {
  if (response.status === 401) window.dispatchEvent(new Event(SIGN_IN_NEEDED));
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    return new ApiError(response.status, body.error_code ?? 'INTERNAL_ERROR', body.message ?? text);
  } catch {
    return new ApiError(response.status, 'INTERNAL_ERROR', text || response.statusText);
  }
}

/** GETs an endpoint under the ajax-api prefix and parses its JSON answer. */
export async function getJson<T>(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { headers: headersFor('GET', false) };
  if (signal) init.signal = signal;
  const response = await fetch(`${AJAX_API}/${path}${toQueryString(query)}`, init);
  if (!response.ok) throw await readError(response);
  return (await response.json()) as T;
}

/** POSTs a JSON body to an endpoint under the ajax-api prefix. */
export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = {
    method: 'POST',
    headers: headersFor('POST', true),
    body: JSON.stringify(body),
  };
  if (signal) init.signal = signal;
  const response = await fetch(`${AJAX_API}/${path}`, init);
  if (!response.ok) throw await readError(response);
  return (await response.json()) as T;
}

/** GETs an arbitrary same-origin URL, returning the response for the caller to read. */
export async function getRaw(url: string, signal?: AbortSignal): Promise<Response> {
  const init: RequestInit = {};
  if (signal) init.signal = signal;
  const response = await fetch(url, init);
  if (!response.ok) throw await readError(response);
  return response;
}

/** Calls a cairn /api/v1 path and parses its JSON answer; error answers become ApiError. */
export async function requestV1<T>(method: string, path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, headers: headersFor(method, false) };
  if (signal) init.signal = signal;
  const response = await fetch(`/api/v1/${path}${toQueryString(query)}`, init);
  if (!response.ok) throw await readError(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** Sends a JSON body to a cairn /api/v1 path (with the CSRF token) and parses its JSON answer. */
export async function sendJsonV1<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`/api/v1/${path}`, { method, headers: headersFor(method, true), body: JSON.stringify(body) });
  if (!response.ok) throw await readError(response);
  return (await response.json()) as T;
}

/** GETs a cairn /api/v1 path. */
export const getV1 = <T>(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> => requestV1<T>('GET', path, query, signal);

/** Sign in with a user name and password: the server sets the session cookie, we keep the CSRF token. */
export async function signIn(username: string, password: string): Promise<void> {
  const response = await fetch('/api/v1/auth/login', { method: 'POST', headers: headersFor('POST', true), body: JSON.stringify({ username, password }) });
  if (!response.ok) throw await readError(response);
  setCsrfToken(((await response.json()) as { csrf_token: string }).csrf_token);
}
