/**
 * Configuration of `cairn serve` and `cairn predict`, parsed once from flags and the environment
 * the CLI passes in, then frozen. Library code never reads process.env.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { ModelSourceConfig } from './load.js';
import type { TrackingServerConfig } from './tracking-client.js';

/** The environment variables serving reads (MLflow's names for the tracking server). */
export interface ServingEnvironment {
  MLFLOW_TRACKING_URI?: string | undefined;
  MLFLOW_TRACKING_TOKEN?: string | undefined;
  MLFLOW_TRACKING_USERNAME?: string | undefined;
  MLFLOW_TRACKING_PASSWORD?: string | undefined;
  CAIRN_MODEL_CACHE?: string | undefined;
  XDG_CACHE_HOME?: string | undefined;
}

/** Everything `cairn serve` needs. */
export interface ServeConfig extends ModelSourceConfig {
  readonly model: string;
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  readonly threads: number | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

/** Flags as commander hands them over. */
export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly trackingUri?: string | undefined;
  readonly modelCache?: string | undefined;
  readonly bodyLimit: string;
  readonly threads?: string | undefined;
  readonly logLevel: string;
}

export const SERVE_DEFAULTS = Object.freeze({ host: '127.0.0.1', port: 5001, bodyLimitBytes: 16 * 1024 * 1024 });

const serveSchema = z.object({
  host: z.string().min(1, 'must not be empty'),
  port: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(65535, 'must be at most 65535'),
  bodyLimit: z.coerce.number({ error: 'must be a number of bytes' }).int('must be a whole number').min(1024, 'must be at least 1024 bytes'),
  threads: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(256).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']),
});

/** Parse `cairn serve` flags; a bad value is an error naming the flag. */
export function parseServeConfig(model: string, flags: ServeFlags, env: ServingEnvironment): ServeConfig {
  const parsed = serveSchema.safeParse({ ...flags, threads: flags.threads || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new CairnError('INVALID_PARAMETER_VALUE', `--${flag}: ${issue?.message ?? 'invalid value'}`);
  }
  return Object.freeze({
    model,
    host: parsed.data.host,
    port: parsed.data.port,
    bodyLimitBytes: parsed.data.bodyLimit,
    threads: parsed.data.threads,
    logLevel: parsed.data.logLevel,
    ...parseModelSource(flags, env),
  });
}

/** The tracking server and cache folder, from flags first, then the environment. */
export function parseModelSource(flags: { trackingUri?: string | undefined; modelCache?: string | undefined }, env: ServingEnvironment): ModelSourceConfig {
  return Object.freeze({ trackingServer: parseTrackingServer(flags.trackingUri ?? env.MLFLOW_TRACKING_URI, env), cacheRoot: resolve(flags.modelCache ?? env.CAIRN_MODEL_CACHE ?? defaultCache(env)) });
}

function defaultCache(env: ServingEnvironment): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cairn', 'models');
}

/** An http(s) tracking URI plus the auth headers MLflow's client would send. */
export function parseTrackingServer(uri: string | undefined, env: ServingEnvironment): TrackingServerConfig | null {
  if (!uri) return null;
  if (!/^https?:\/\//.test(uri)) throw new CairnError('INVALID_PARAMETER_VALUE', `--tracking-uri ${uri}: serving talks to a tracking server over HTTP; use http://host:port or https://...`);
  const headers: Record<string, string> = {};
  if (env.MLFLOW_TRACKING_TOKEN) headers['authorization'] = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  else if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD) {
    headers['authorization'] = `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`).toString('base64')}`;
  }
  return Object.freeze({ url: uri.replace(/\/+$/, ''), headers: Object.freeze(headers) });
}
