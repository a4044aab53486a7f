/** The `cairn` command line. */
import { Command, CommanderError } from 'commander';
import { CAIRN_VERSION } from '../core/version.js';
import { registerServerCommand } from './server.js';

const program = new Command('cairn')
  .description('cairn: experiment tracking, model registry, serving, data versioning and monitoring in one program')
  .version(CAIRN_VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerServerCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  throw error;
}
