import type { Command } from 'commander';
import { CAIRN_VERSION } from '../core/version.js';
import { parseServeConfig, SERVE_DEFAULTS, type ServeConfig, type ServeFlags } from '../serving/config.js';
import { buildScoringApp, loadModel, ModelSet, onnxRuntime } from '../serving/index.js';
import { fail } from './output.js';

/** Load the model, then answer the scoring protocol until SIGTERM/SIGINT. */
async function serveModel(config: ServeConfig): Promise<void> {
  const runtime = onnxRuntime(config.threads ? { intraOpThreads: config.threads } : {});
  const loaded = await loadModel(config.model, config, runtime);
  for (const warning of loaded.model.warnings) process.stderr.write(`cairn serve: warning: ${warning}\n`);
  const models = new ModelSet();
  models.swap({ versions: new Map([[loaded.model.label, loaded.model]]), primary: loaded.model.label });
  const app = await buildScoringApp({ models, bodyLimitBytes: config.bodyLimitBytes, version: CAIRN_VERSION, logLevel: config.logLevel });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await app.close();
    await models.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  process.once('SIGINT', () => void close());
  await app.listen({ host: config.host, port: config.port });
  const from = loaded.version ? `${loaded.model.label}${loaded.downloaded ? ' (downloaded)' : ' (cached)'} from ${loaded.folder}` : loaded.folder;
  process.stdout.write(`cairn serve: ${config.model} -> ${from}; listening on http://${config.host}:${config.port}\n`);
}

/** `cairn serve`: a standalone scoring process for one model (what a Kubernetes pod runs). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve one model over MLflow\'s scoring protocol: POST /invocations, GET /ping, /health, /version')
    .argument('<model>', 'models:/<name>@<alias>, models:/<name>/<version>, or a local model folder')
    .option('-h, --host <host>', 'address to listen on (0.0.0.0 in a container)', SERVE_DEFAULTS.host)
    .option('-p, --port <port>', 'port to listen on', String(SERVE_DEFAULTS.port))
    .option('--tracking-uri <uri>', 'tracking server to fetch models:/ URIs from (default: $MLFLOW_TRACKING_URI)')
    .option('--model-cache <dir>', 'where downloaded models are kept and verified (default: $CAIRN_MODEL_CACHE or ~/.cache/cairn/models)')
    .option('--body-limit <bytes>', 'largest request body accepted', String(SERVE_DEFAULTS.bodyLimitBytes))
    .option('--threads <n>', 'threads onnxruntime uses per request (default: its own choice)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'warn')
    .helpOption('--help', 'show this help')
    .action(async (model: string, flags: ServeFlags) => {
      await (async () => serveModel(parseServeConfig(model, flags, process.env)))().catch(fail);
    });
}
