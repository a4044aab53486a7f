/** A real cairn server for tests: in this process on a free loopback port, on either dialect. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseServerConfig, type ServerFlags } from '../core/config.js';
import { composeServices } from '../compose.js';
import { buildApp } from '../http/app.js';
import type { Services } from '../services.js';
import type { DialectKind } from '../store/dialect.js';
import { freshStoreUri } from './dialects.js';

export interface TestServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly artifactsRoot: string;
  /** POST/GET/PATCH/DELETE JSON to an MLflow path (e.g. 'runs/create'); returns status and parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Options: `auth` turns authentication on (as `--auth`); `flags` sets any other server flag. */
export interface TestServerOptions {
  readonly auth?: boolean;
  readonly flags?: Partial<ServerFlags>;
}

export async function startTestServer(dialect: DialectKind = 'sqlite', options: TestServerOptions = {}): Promise<TestServer> {
  const store = await freshStoreUri(dialect);
  const folder = await mkdtemp(join(tmpdir(), 'cairn-server-'));
  const artifactsRoot = join(folder, 'artifacts');
  const config = parseServerConfig(
    { host: '127.0.0.1', port: 0, backendStoreUri: store.uri, artifactsDestination: artifactsRoot, workers: 1, bodyLimitBytes: 16 << 20, serveUi: false, logLevel: 'silent', auth: options.auth ?? false, ...options.flags },
    {},
  );
  const services = await composeServices(config);
  const app = await buildApp(services);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const call = async (method: string, path: string, body?: unknown) => {
    const url = path.startsWith('/') ? `${address}${path}` : `${address}/api/2.0/mlflow/${path}`;
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // plain-text answers (health, version) stay strings
    }
    return { status: response.status, body: parsed as any };
  };
  return {
    url: address,
    app,
    services,
    artifactsRoot,
    call,
    async close() {
      await app.close();
      await services.close();
      await store.cleanup();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
