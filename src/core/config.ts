import { z } from 'zod';
import { CairnError } from './errors.js';

/** Where artifacts live: a local folder, or an S3 (or S3-compatible) bucket and prefix. */
export type ArtifactsDestination =
  | { readonly kind: 'local'; readonly root: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly prefix: string;
      readonly endpoint?: string | undefined;
      readonly region: string;
      readonly forcePathStyle: boolean;
      readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string | undefined } | undefined;
    };

/** Everything `cairn server` needs, parsed once and frozen. Library code never reads process.env. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly backendStoreUri: string;
  readonly artifacts: ArtifactsDestination;
  readonly workers: number;
  /** Largest JSON body accepted, in bytes (MLflow's log-batch limit is 1 MB; other bodies may be larger). */
  readonly bodyLimitBytes: number;
  readonly serveUi: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Whether requests must authenticate: on unless listening on loopback, or off by --insecure-no-auth. */
  readonly authEnabled: boolean;
  /** Host header names accepted (DNS-rebinding defence), or 'any'; IP literals always pass. */
  readonly allowedHosts: readonly string[] | 'any';
  /** Origins allowed to make cross-origin requests; none unless configured. */
  readonly corsOrigins: readonly string[];
  /** Requests a minute per user or API token; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Hosts alert webhooks may reach even at private, loopback or link-local addresses (`*.example.com` wildcards). */
  readonly outboundAllow: readonly string[];
  /** Whether reads of sensitive resources (artifact downloads, data pulls, dataset profiles) are audited too. */
  readonly auditReads?: boolean;
  /** A user's permission on a resource they hold no grant on (MLflow's `default_permission`); READ when absent. */
  readonly defaultPermission?: 'NONE' | 'READ' | 'EDIT' | 'MANAGE';
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 5000,
  backendStoreUri: 'sqlite:///./cairn-data/cairn.db',
  artifactsDestination: './cairn-data/artifacts',
  workers: 1,
  bodyLimitBytes: 16 * 1024 * 1024,
  rateLimitPerMinute: 3000,
});

/** Whether a listen address is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

const commaList = (value: string | undefined): string[] => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);

const flagsSchema = z.object({
  host: z.string().min(1, 'must not be empty'),
  port: z.coerce.number().int('must be a whole number').min(0).max(65535, 'must be at most 65535'),
  backendStoreUri: z
    .string()
    .regex(/^(sqlite:\/\/|postgres(ql)?:\/\/)/, 'must start with sqlite:/// or postgresql://'),
  artifactsDestination: z.string().min(1, 'must not be empty'),
  workers: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(64),
  bodyLimitBytes: z.coerce.number().int().min(1024),
  serveUi: z.boolean(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']),
  auth: z.boolean().optional(),
  insecureNoAuth: z.boolean().optional(),
  allowedHosts: z.string().optional(),
  corsOrigin: z.string().regex(/^\s*(https?:\/\/[^\s,/]+\/?\s*(,\s*|$))*$/, 'must be a comma-separated list of origins like https://ui.example.com').optional(),
  rateLimit: z.coerce.number().int('must be a whole number').min(0).optional(),
  auditReads: z.boolean().default(false),
  outboundAllow: z.string().regex(/^[\w.*:\[\]\s,-]*$/, 'must be a comma-separated list of host names or addresses').optional(),
  defaultPermission: z.enum(['NONE', 'READ', 'EDIT', 'MANAGE'], 'must be one of NONE, READ, EDIT, MANAGE').optional(),
});

export type ServerFlags = z.input<typeof flagsSchema>;

/** The environment variables S3 access reads, passed in by the CLI. */
export interface S3Environment {
  AWS_ACCESS_KEY_ID?: string | undefined;
  AWS_SECRET_ACCESS_KEY?: string | undefined;
  AWS_SESSION_TOKEN?: string | undefined;
  AWS_REGION?: string | undefined;
  AWS_DEFAULT_REGION?: string | undefined;
  MLFLOW_S3_ENDPOINT_URL?: string | undefined;
  AWS_ENDPOINT_URL_S3?: string | undefined;
  AWS_ENDPOINT_URL?: string | undefined;
}

/** Parse an artifacts destination: `s3://bucket/prefix` or a local folder (absolute or relative). */
export function parseArtifactsDestination(value: string, env: S3Environment): ArtifactsDestination {
  if (value.startsWith('s3://')) {
    const rest = value.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    if (!bucket) throw new CairnError('INVALID_PARAMETER_VALUE', `--artifacts-destination ${value}: an s3:// destination needs a bucket name`);
    const endpoint = env.MLFLOW_S3_ENDPOINT_URL ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    const credentials =
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
        : undefined;
    return Object.freeze({
      kind: 's3',
      bucket,
      prefix,
      endpoint,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      // S3-compatible stores behind a custom endpoint rarely support virtual-hosted buckets.
      forcePathStyle: endpoint !== undefined,
      credentials,
    });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !value.startsWith('file://')) {
    throw new CairnError('INVALID_PARAMETER_VALUE', `--artifacts-destination ${value}: must be a local folder or s3://bucket/prefix`);
  }
  const root = value.startsWith('file://') ? decodeURIComponent(value.slice('file://'.length)) : value;
  return Object.freeze({ kind: 'local', root });
}

/** Validate the server flags; every bad value is reported with the flag's name and the rule. */
export function parseServerConfig(flags: ServerFlags, env: S3Environment): ServerConfig {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new CairnError('INVALID_PARAMETER_VALUE', `--${flag}: ${issue?.message ?? 'invalid value'}`);
  }
  const f = parsed.data;
  if (f.auth && f.insecureNoAuth) throw new CairnError('INVALID_PARAMETER_VALUE', '--auth and --insecure-no-auth contradict each other: give one');
  const authEnabled = f.auth ? true : f.insecureNoAuth ? false : !isLoopbackHost(f.host);
  const hosts = commaList(f.allowedHosts).map((h) => h.toLowerCase());
  return Object.freeze({
    host: f.host,
    port: f.port,
    backendStoreUri: f.backendStoreUri,
    artifacts: parseArtifactsDestination(f.artifactsDestination, env),
    workers: f.workers,
    bodyLimitBytes: f.bodyLimitBytes,
    serveUi: f.serveUi,
    logLevel: f.logLevel,
    authEnabled,
    // Without authentication, only names the operator listed may reach the server (DNS rebinding);
    // with it, a rebound name gets nothing but 401s, so any name is accepted unless listed.
    allowedHosts: hosts.includes('*') ? 'any' : hosts.length > 0 ? Object.freeze(hosts) : authEnabled ? 'any' : Object.freeze(['localhost']),
    corsOrigins: Object.freeze(commaList(f.corsOrigin).map((o) => o.replace(/\/+$/, '').toLowerCase())),
    rateLimitPerMinute: f.rateLimit ?? DEFAULTS.rateLimitPerMinute,
    outboundAllow: Object.freeze(commaList(f.outboundAllow).map((h) => h.toLowerCase())),
    auditReads: f.auditReads,
    defaultPermission: f.defaultPermission ?? 'READ',
  });
}
