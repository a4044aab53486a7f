/** The `cairn` command line. */
import { Command, CommanderError } from 'commander';
import { CAIRN_VERSION } from '../core/version.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: `cairn data status` should not pay
 * for loading the server, DuckDB or onnxruntime. `cairn --help` loads them all to list them.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  server: async () => (await import('./server.js')).registerServerCommand,
  data: async () => (await import('./data.js')).registerDataCommand,
  drift: async () => (await import('./drift.js')).registerDriftCommand,
  monitor: async () => (await import('./monitor.js')).registerMonitorCommand,
  serve: async () => (await import('./serve.js')).registerServeCommand,
  predict: async () => (await import('./predict.js')).registerPredictCommand,
  registry: async () => (await import('./registry.js')).registerRegistryCommand,
  lineage: async () => (await import('./lineage.js')).registerLineageCommand,
  users: async () => (await import('./users.js')).registerUsersCommand,
  tokens: async () => (await import('./tokens.js')).registerTokensCommand,
  audit: async () => (await import('./audit.js')).registerAuditCommand,
  permissions: async () => (await import('./permissions.js')).registerPermissionsCommand,
  gate: async () => (await import('./gate.js')).registerGateCommand,
  init: async () => (await import('./init-ci.js')).registerInitCommand,
  deploy: async () => (await import('./deploy.js')).registerDeployCommand,
};

const program = new Command('cairn')
  .description('cairn: experiment tracking, model registry, serving, data versioning and monitoring in one program')
  .version(CAIRN_VERSION, '-V, --version')
  // Program options only before the command, so a command's own --version (`cairn registry card
  // --version 3`, a model version) is not taken for cairn's version.
  .enablePositionalOptions()
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const asked = process.argv[2];
const loaders = asked !== undefined && asked in COMMANDS ? [COMMANDS[asked] as () => Promise<Register>] : Object.values(COMMANDS);
for (const register of await Promise.all(loaders.map((load) => load()))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  throw error;
}
