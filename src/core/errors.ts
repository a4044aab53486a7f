/**
 * One error class with a closed set of codes. Each code maps to an HTTP status, the MLflow
 * `error_code` the Python client branches on, and a CLI exit code.
 */

export type ErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'ENDPOINT_NOT_FOUND'
  | 'INVALID_STATE'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'NOT_IMPLEMENTED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'INTERNAL_ERROR';

interface CodeInfo {
  readonly http: number;
  readonly exit: number;
}

// MLflow maps INVALID_STATE to 500, but the client retries every 5xx for minutes, so a state
// error from cairn is a 400 with the same error_code.
const CODES: Readonly<Record<ErrorCode, CodeInfo>> = Object.freeze({
  INVALID_PARAMETER_VALUE: { http: 400, exit: 2 },
  RESOURCE_ALREADY_EXISTS: { http: 400, exit: 3 },
  RESOURCE_DOES_NOT_EXIST: { http: 404, exit: 4 },
  ENDPOINT_NOT_FOUND: { http: 404, exit: 4 },
  INVALID_STATE: { http: 400, exit: 5 },
  BAD_REQUEST: { http: 400, exit: 2 },
  UNAUTHENTICATED: { http: 401, exit: 6 },
  PERMISSION_DENIED: { http: 403, exit: 6 },
  REQUEST_LIMIT_EXCEEDED: { http: 429, exit: 7 },
  NOT_IMPLEMENTED: { http: 501, exit: 8 },
  TEMPORARILY_UNAVAILABLE: { http: 503, exit: 9 },
  INTERNAL_ERROR: { http: 500, exit: 1 },
});

/** The only error type cairn throws on purpose. */
export class CairnError extends Error {
  readonly code: ErrorCode;
  /** HTTP status override, for the few places where MLflow's status differs from the table. */
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string, options?: { httpStatus?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.httpStatus = options?.httpStatus ?? CODES[code].http;
  }

  get exitCode(): number {
    return CODES[this.code].exit;
  }
}

/** Shorthands for the common cases, so call sites read as the rule they enforce. */
export const invalid = (message: string): CairnError => new CairnError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string): CairnError => new CairnError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string): CairnError => new CairnError('RESOURCE_ALREADY_EXISTS', message);

/** Anything thrown at a boundary becomes a CairnError; unknown errors become INTERNAL_ERROR. */
export function toCairnError(error: unknown): CairnError {
  if (error instanceof CairnError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CairnError('INTERNAL_ERROR', message, { cause: error });
}

export function httpStatusOf(code: ErrorCode): number {
  return CODES[code].http;
}
