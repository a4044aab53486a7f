import cluster from 'node:cluster';
import type { Command } from 'commander';
import { DEFAULTS, parseServerConfig, type ServerConfig, type ServerFlags } from '../core/config.js';
import { composeServices } from '../compose.js';
import { buildApp } from '../http/app.js';
import { openDatabase } from '../store/db.js';
import { fail } from './output.js';
import { announceAuth } from './users.js';

interface ServerOptions {
  host: string;
  port: string;
  backendStoreUri: string;
  artifactsDestination: string;
  workers: string;
  bodyLimit: string;
  ui: boolean;
  logLevel: string;
  auth?: boolean;
  insecureNoAuth?: boolean;
  allowedHosts?: string;
  corsOrigin?: string;
  rateLimit: string;
  outboundAllow?: string;
  auditReads?: boolean;
  defaultPermission?: string;
}

/** Start one server process: compose the services, listen, and close cleanly on SIGTERM/SIGINT. */
async function serve(config: ServerConfig): Promise<void> {
  const services = await composeServices(config);
  const app = await buildApp(services);
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  process.once('SIGINT', () => void close());
  await app.listen({ host: config.host, port: config.port });
  if (!cluster.isWorker) {
    const where = config.artifacts.kind === 'local' ? config.artifacts.root : `s3://${config.artifacts.bucket}/${config.artifacts.prefix}`;
    process.stdout.write(`cairn listening on http://${config.host}:${config.port} (store ${redact(config.backendStoreUri)}, artifacts ${where})\n`);
  }
}

const redact = (uri: string): string => uri.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

async function run(options: ServerOptions): Promise<void> {
  const config = parseServerConfig(
    {
      host: options.host,
      port: options.port,
      backendStoreUri: options.backendStoreUri,
      artifactsDestination: options.artifactsDestination,
      workers: options.workers,
      bodyLimitBytes: options.bodyLimit,
      serveUi: options.ui,
      logLevel: options.logLevel as ServerConfig['logLevel'],
      auth: options.auth,
      insecureNoAuth: options.insecureNoAuth,
      allowedHosts: options.allowedHosts,
      corsOrigin: options.corsOrigin,
      rateLimit: options.rateLimit,
      outboundAllow: options.outboundAllow,
      auditReads: options.auditReads === true,
      defaultPermission: options.defaultPermission?.toUpperCase() as ServerFlags['defaultPermission'],
    },
    process.env,
  );
  if (cluster.isPrimary) await announceAuth(config);
  if (config.workers > 1 && cluster.isPrimary) {
    // Migrate once in the primary, then let the workers share the port.
    const db = await openDatabase(config.backendStoreUri);
    await db.close();
    for (let i = 0; i < config.workers; i++) cluster.fork();
    cluster.on('exit', (worker, code) => {
      if (code !== 0) process.stderr.write(`cairn: worker ${worker.process.pid} exited with code ${code}\n`);
    });
    process.stdout.write(`cairn listening on http://${config.host}:${config.port} with ${config.workers} workers\n`);
    const stop = (): void => {
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  await serve(config);
}

/** `cairn server`: the tracking server, registry, artifact proxy and web UI in one process. */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Run the cairn server: MLflow-compatible tracking, model registry, artifact proxy and web UI')
    .option('-h, --host <host>', 'address to listen on', DEFAULTS.host)
    .option('-p, --port <port>', 'port to listen on', String(DEFAULTS.port))
    .option('--backend-store-uri <uri>', 'metadata store: sqlite:///path/to.db or postgresql://user[:password]@host:port/db', DEFAULTS.backendStoreUri)
    .option(
      '--artifacts-destination <dest>',
      'where artifacts are kept: a local folder, or s3://bucket/prefix (uses AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION; MLFLOW_S3_ENDPOINT_URL or AWS_ENDPOINT_URL for S3-compatible stores)',
      DEFAULTS.artifactsDestination,
    )
    .option('-w, --workers <n>', 'number of server processes sharing the port', String(DEFAULTS.workers))
    .option('--body-limit <bytes>', 'largest JSON request body accepted', String(DEFAULTS.bodyLimitBytes))
    .option('--no-ui', 'do not serve the web UI')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'warn')
    .option('--auth', 'require authentication even when listening on loopback (default: on unless the host is 127.0.0.1, ::1 or localhost)')
    .option('--insecure-no-auth', 'serve a non-loopback address without authentication (prints a warning)')
    .option('--allowed-hosts <names>', 'Host header names to accept, comma-separated; *.example.com wildcards, * for any (default: localhost and IP addresses without auth, any with auth)')
    .option('--cors-origin <origins>', 'origins allowed to make cross-origin requests, comma-separated (default: none)')
    .option('--rate-limit <n>', 'requests a minute per user or API token; 0 for no limit', String(DEFAULTS.rateLimitPerMinute))
    .option('--default-permission <level>', 'permission of a user on a resource they hold no grant on: NONE, READ, EDIT or MANAGE (roles cap it; admins have MANAGE everywhere)', 'READ')
    .option('--audit-reads', 'also audit reads of sensitive resources: artifact downloads, data object pulls, dataset profiles (default: off)')
    .option('--outbound-allow <hosts>', 'hosts alert webhooks may call even on private, loopback or link-local addresses, comma-separated (default: none; public addresses only)')
    .helpOption('--help', 'show this help')
    .action(async (options: ServerOptions) => {
      await run(options).catch(fail);
    });
}
